package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.NodeProcess;
import io.liveshard.node.testkit.RtmpPlayer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in three JVMs on loopback, as operators run them: a stream published on A is watched on B and C
 * through their relays (one copy each); A is killed (SIGKILL) and the publisher reconnects to C, and the viewers on
 * B keep their connection and get frames again; B leaves (SIGTERM) and closes its viewers cleanly while C's viewers
 * keep watching.
 */
class ClusterFailoverTest {

    /** How soon viewers on a surviving node must get frames again after the publisher reconnects elsewhere. */
    private static final Duration RESUME_WITHIN = Duration.ofSeconds(10);

    @Test
    void viewersSurviveTheLossOfThePublishersNodeAndANodeLeavesCleanly() throws Exception {
        int arteryA = NodeProcess.freePort();
        int arteryB = NodeProcess.freePort();
        int arteryC = NodeProcess.freePort();
        Map<String, Object> cluster = Map.of(
                "pekko.cluster.seed-nodes", List.of(NodeProcess.address(arteryA), NodeProcess.address(arteryB)),
                // A dead node is noticed and downed within a few seconds (keep-majority: B and C are 2 of 3).
                "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "2s",
                "pekko.cluster.split-brain-resolver.stable-after", "3s",
                "pekko.cluster.sharding.rebalance-interval", "1s",
                // Viewers wait this long for the stream to come back on another node.
                "liveshard.stream.publisher-grace", "30s");
        try (NodeProcess a = NodeProcess.start("failover-a", arteryA, cluster);
             NodeProcess b = NodeProcess.start("failover-b", arteryB, cluster);
             NodeProcess c = NodeProcess.start("failover-c", arteryC, cluster)) {
            awaitMembers(c, 3);
            try (FfmpegPublisher first = FfmpegPublisher.start("rtmp://127.0.0.1:" + a.rtmpPort() + "/live/final",
                    120, 30)) {
                awaitLive(a, "live/final");
                FlvViewer onB = FlvViewer.open("http://127.0.0.1:" + b.httpPort() + "/live/final.flv");
                FlvViewer onC = FlvViewer.open("http://127.0.0.1:" + c.httpPort() + "/live/final.flv");
                RtmpPlayer rtmpOnC = RtmpPlayer.play("127.0.0.1", c.rtmpPort(), "live", "final");
                try {
                    assertEquals(200, onB.status(), b.logTail());
                    onB.awaitTags(60, Duration.ofSeconds(20));
                    onC.awaitTags(60, Duration.ofSeconds(20));
                    rtmpOnC.awaitVideoFrames(30, Duration.ofSeconds(20));
                    assertTrue(get(b, "/api/v1/cluster").contains("\"relayedStreams\":{\"live/final\":1}"),
                            "one copy crossed to B");
                    assertTrue(get(c, "/api/v1/cluster").contains("\"relayedStreams\":{\"live/final\":1}"),
                            "one copy crossed to C");

                    a.kill();
                    first.close();
                    try (FfmpegPublisher second = FfmpegPublisher.start(
                            "rtmp://127.0.0.1:" + c.rtmpPort() + "/live/final", 120, 30)) {
                        awaitLive(c, "live/final");
                        long republished = System.nanoTime();
                        long framesOnB = onB.videoFrames();
                        long deadline = republished + RESUME_WITHIN.toNanos();
                        while (onB.videoFrames() < framesOnB + 30 && System.nanoTime() < deadline) {
                            Thread.sleep(100);
                        }
                        assertFalse(onB.ended(), "B's viewer kept its connection: " + onB.failure());
                        assertTrue(onB.videoFrames() >= framesOnB + 30, "B's viewer got frames again within "
                                + RESUME_WITHIN + " of the republish on C:\n" + b.logTail());
                        assertTrue(get(b, "/api/v1/cluster").contains("\"relayedStreams\":{\"live/final\":2}"),
                                "B's relay took a second copy, from C");

                        long framesOnC = onC.videoFrames();
                        assertTrue(b.terminate(Duration.ofSeconds(30)), "B exits on SIGTERM");
                        onB.awaitEnd(Duration.ofSeconds(10));
                        Thread.sleep(2000);
                        assertFalse(onC.ended(), "C's viewer never noticed B leaving");
                        assertTrue(onC.videoFrames() >= framesOnC + 30, "C's viewer kept getting frames");
                    }
                } finally {
                    onB.close();
                    onC.close();
                    rtmpOnC.close();
                }
            }
        }
    }

    private static void awaitMembers(NodeProcess node, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String view = get(node, "/api/v1/cluster");
            if (view.split("\"status\":\"Up\"", -1).length - 1 == count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the cluster did not reach " + count + " members: " + get(node, "/api/v1/cluster"));
    }

    private static void awaitLive(NodeProcess node, String stream) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String status = get(node, "/api/v1/streams/" + stream);
            // The publisher is connected here (a relay's status names no publisher).
            if (status.contains("\"publisher\":\"127.0.0.1") && status.contains("\"videoCodec\":\"H264\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(stream + " did not go live on " + node.address() + ":\n" + node.logTail());
    }

    private static String get(NodeProcess node, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.httpPort() + path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
