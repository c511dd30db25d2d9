package io.liveshard.node.console;

import io.liveshard.node.http.HttpResponses;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The web player ({@code /player/}) and the ops console ({@code /console/}): static files from the ops-console jar
 * on the class path, under {@value #ROOT}. Only paths made of plain name segments below those two folders are
 * looked up, so no request can reach another class-path resource. Files are read once and kept in memory (they are
 * part of the release and never change while the node runs).
 *
 * <p>Caching: chunk files carry a content hash in their name and are cached for a year; everything else (pages and
 * the entry modules other sites import by a stable name) is revalidated on each use with its ETag.
 */
public final class StaticAssets {

    static final String ROOT = "io/liveshard/console/static/";
    /** {@code /player/...} or {@code /console/...}: segments of {@code [A-Za-z0-9_-]} with dots only inside. */
    private static final Pattern ASSET_PATH =
            Pattern.compile("^/(player|console)/((?:[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*/){0,3}"
                    + "(?:[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)?)$");
    /** esbuild's chunk names: {@code chunks/[name]-[hash].js}. */
    private static final Pattern HASHED_CHUNK = Pattern.compile("^player/chunks/[^/]+-[A-Z0-9]{8}\\.js(\\.map)?$");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String REVALIDATE = "no-cache";
    private static final Map<String, ContentType> TYPES = Map.of(
            "html", ContentTypes.TEXT_HTML_UTF8,
            "js", ContentTypes.parse("text/javascript; charset=UTF-8"),
            "css", ContentTypes.parse("text/css; charset=UTF-8"),
            "map", ContentTypes.APPLICATION_JSON,
            "svg", ContentTypes.parse("image/svg+xml"),
            "png", ContentTypes.parse("image/png"));

    /** A file as it is served. */
    private record Asset(byte[] body, ContentType type, String etag, String cacheControl) {}

    private final ClassLoader loader;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    public StaticAssets(ClassLoader loader) {
        this.loader = loader;
    }

    /** Whether {@code path} belongs to the player or the console (and so to this handler). */
    public static boolean handles(String path) {
        return path.equals("/player") || path.equals("/console")
                || path.startsWith("/player/") || path.startsWith("/console/");
    }

    public HttpResponse serve(HttpRequest request) {
        String path = request.getUri().path();
        if (request.method() != HttpMethods.GET && request.method() != HttpMethods.HEAD) {
            return HttpResponses.text(StatusCodes.METHOD_NOT_ALLOWED, "use GET for " + path);
        }
        if (path.equals("/player") || path.equals("/console")) {
            // Relative links in the page (its scripts) resolve against the folder, so the folder is the address.
            return HttpResponse.create().withStatus(StatusCodes.MOVED_PERMANENTLY)
                    .addHeader(RawHeader.create("Location", path + "/"));
        }
        if (!ASSET_PATH.matcher(path).matches()) {
            return HttpResponses.text(StatusCodes.NOT_FOUND, "no such file");
        }
        String name = path.substring(1) + (path.endsWith("/") ? "index.html" : "");
        Optional<Asset> asset = cache.computeIfAbsent(name, this::load);
        if (asset.isEmpty()) {
            return HttpResponses.text(StatusCodes.NOT_FOUND, "no such file");
        }
        boolean unchanged = request.getHeader("If-None-Match")
                .map(header -> header.value().equals(asset.get().etag())).orElse(false);
        HttpResponse response = HttpResponses.withCors(HttpResponse.create()
                .addHeader(RawHeader.create("ETag", asset.get().etag()))
                .addHeader(RawHeader.create("Cache-Control", asset.get().cacheControl()))
                .addHeader(RawHeader.create("X-Content-Type-Options", "nosniff")));
        if (unchanged) {
            return response.withStatus(StatusCodes.NOT_MODIFIED);
        }
        return response.withStatus(StatusCodes.OK).withEntity(asset.get().type(), asset.get().body());
    }

    private Optional<Asset> load(String name) {
        int dot = name.lastIndexOf('.');
        ContentType type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] body = in.readAllBytes();
            return Optional.of(new Asset(body, type, etag(body),
                    HASHED_CHUNK.matcher(name).matches() ? IMMUTABLE : REVALIDATE));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
