package io.liveshard.node.testkit;

import io.liveshard.protocol.flv.FlvStreamReader;
import io.liveshard.protocol.flv.FlvTag;
import io.liveshard.protocol.flv.FlvTagType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP-FLV viewer for tests: reads the stream on its own thread with {@link FlvStreamReader} and records every
 * tag with the time it arrived, so tests can check what a player would get (first tag kinds, keyframes, pacing).
 */
public final class FlvViewer implements AutoCloseable {

    /** A tag and when its last byte arrived ({@link System#nanoTime()}). */
    public record ReceivedTag(FlvTag tag, long arrivedNanos) {
        public boolean isVideo() {
            return tag.type() == FlvTagType.VIDEO;
        }

        /** A video tag carrying a frame (not a sequence header), as legacy AVC tags mark it. */
        public boolean isVideoFrame() {
            return isVideo() && tag.body().length > 1 && tag.body()[1] == 1;
        }

        public boolean isKeyframe() {
            return isVideo() && (tag.body()[0] & 0xF0) == 0x10;
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final long requestedNanos;
    private final int status;
    private final InputStream body;
    private final List<ReceivedTag> tags = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile String failure;
    private volatile boolean ended;

    private FlvViewer(long requestedNanos, HttpResponse<InputStream> response) {
        this.requestedNanos = requestedNanos;
        this.status = response.statusCode();
        this.body = response.body();
        this.reader = new Thread(this::read, "flv-viewer");
        this.reader.setDaemon(true);
        if (status == 200) {
            reader.start();
        }
    }

    public static FlvViewer open(String url) throws IOException, InterruptedException {
        long requested = System.nanoTime();
        HttpResponse<InputStream> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        return new FlvViewer(requested, response);
    }

    public int status() {
        return status;
    }

    public long requestedNanos() {
        return requestedNanos;
    }

    public List<ReceivedTag> tags() {
        return tags;
    }

    public long videoFrames() {
        return tags.stream().filter(ReceivedTag::isVideoFrame).count();
    }

    public boolean ended() {
        return ended;
    }

    public String failure() {
        return failure;
    }

    /** Waits until at least {@code count} tags arrived; fails with what was seen otherwise. */
    public void awaitTags(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tags.size() < count && System.nanoTime() < deadline && !ended) {
            Thread.sleep(10);
        }
        if (tags.size() < count) {
            throw new AssertionError("got " + tags.size() + " FLV tags, wanted " + count + " within " + timeout
                    + (failure != null ? "; reader failed: " + failure : "") + (ended ? "; stream ended" : ""));
        }
    }

    /** Waits for the stream to end (the server closed it). */
    public void awaitEnd(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
        if (!ended) {
            throw new AssertionError("FLV stream still open after " + timeout + " with " + tags.size() + " tags");
        }
    }

    private void read() {
        FlvStreamReader flv = new FlvStreamReader();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = body) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long now = System.nanoTime();
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                FlvStreamReader.Result result;
                while ((result = flv.feed(bytes)) == FlvStreamReader.Result.TAG) {
                    tags.add(new ReceivedTag(flv.tag(), now));
                }
                if (result == FlvStreamReader.Result.BAD_MESSAGE) {
                    failure = "bad FLV from the server: " + flv.failureReason();
                    return;
                }
            }
        } catch (IOException e) {
            if (failure == null && !ended) {
                failure = e.toString();
            }
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() {
        ended = true;
        try {
            body.close();
        } catch (IOException ignored) {
            // closing a stream the server may already have closed
        }
    }
}
