package io.liveshard.node.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.scaladsl.model.HttpEntity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Serves the real ops-console jar (a dependency of node) from the class path. */
class StaticAssetsTest {

    private final StaticAssets assets = new StaticAssets(StaticAssetsTest.class.getClassLoader());

    private HttpResponse get(String path) {
        return assets.serve(HttpRequest.GET(path));
    }

    private static String header(HttpResponse response, String name) {
        Optional<HttpHeader> header = response.getHeader(name);
        return header.map(HttpHeader::value).orElse(null);
    }

    private static String body(HttpResponse response) {
        return ((HttpEntity.Strict) response.entity()).getData().utf8String();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "/player/, text/html; charset=UTF-8, <title>LiveShard player</title>",
        "/console/, text/html; charset=UTF-8, <title>LiveShard ops console</title>",
        "/player/liveshard-player.js, text/javascript; charset=UTF-8, LiveShardPlayer",
        "/console/console.css, text/css; charset=UTF-8, table",
    })
    void servesPagesAndModulesWithTheirTypes(String path, String type, String contains) {
        HttpResponse response = get(path);
        assertEquals(200, response.status().intValue());
        assertEquals(type, response.entity().getContentType().toString());
        assertTrue(body(response).contains(contains), path);
        assertEquals("no-cache", header(response, "Cache-Control"));
        assertEquals("*", header(response, "Access-Control-Allow-Origin"), "other sites may import the module");
    }

    @Test
    void hashedChunksAreCachedForGoodAndEtagsRevalidate() {
        String module = body(get("/player/liveshard-player.js"));
        java.util.regex.Matcher chunk = java.util.regex.Pattern.compile("chunks/([A-Za-z0-9_-]+-[A-Z0-9]{8}\\.js)")
                .matcher(module);
        assertTrue(chunk.find(), "the entry module imports hashed chunks");
        HttpResponse chunkResponse = get("/player/chunks/" + chunk.group(1));
        assertEquals(200, chunkResponse.status().intValue());
        assertTrue(header(chunkResponse, "Cache-Control").contains("immutable"));

        HttpResponse page = get("/player/");
        HttpResponse again = assets.serve(HttpRequest.GET("/player/")
                .addHeader(RawHeader.create("If-None-Match", header(page, "ETag"))));
        assertEquals(304, again.status().intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/player/../console/index.html", "/player/..%2fliveshard.conf", "/player/.hidden",
        "/console/../../io/liveshard/node/Main.class", "/player//index.html", "/player/chunks/../../x.js",
        "/console/index.html/", "/player/no-such-file.js", "/player/README", "/console/a/b/c/d/e.js"})
    void refusesEverythingOutsideTheTwoFolders(String path) {
        HttpResponse response = get(path);
        assertEquals(404, response.status().intValue(), path);
        assertFalse(body(response).contains("liveshard"), path);
    }

    @Test
    void folderWithoutSlashRedirectsAndOnlyGetIsAllowed() {
        HttpResponse redirect = get("/console");
        assertEquals(301, redirect.status().intValue());
        assertEquals("/console/", header(redirect, "Location"));
        HttpResponse post = assets.serve(HttpRequest.create("/player/").withMethod(HttpMethods.POST));
        assertEquals(405, post.status().intValue());
    }
}
