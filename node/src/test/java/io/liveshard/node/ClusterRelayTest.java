package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.stream.StreamEntity;
import io.liveshard.node.stream.StreamStatus;
import io.liveshard.node.testkit.ArtcClientLoop;
import io.liveshard.node.testkit.ArtcTestClient;
import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.RawRtmpClient;
import io.liveshard.node.testkit.RtmpPlayer;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes forming one cluster in this JVM (real Artery over loopback, real serialization): a stream published on
 * one is watched on the other through that node's edge relay, one copy for all its viewers; a publisher moves the
 * stream to its own node.
 */
class ClusterRelayTest {

    /** Viewers spread over three nodes while a fourth joins. */
    private static final int VIEWERS_WHILE_JOINING = 200;

    private static LiveShardNode origin;
    private static LiveShardNode edge;

    @BeforeAll
    static void formCluster() throws Exception {
        origin = TestNode.start();
        String seed = Cluster.get(origin.system()).selfMember().address().toString();
        edge = TestNode.start(Map.of("pekko.cluster.seed-nodes", List.of(seed)));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (upMembers(origin) < 2 || upMembers(edge) < 2) {
            assertTrue(System.nanoTime() < deadline, "the two nodes did not form a cluster");
            Thread.sleep(100);
        }
    }

    private static long upMembers(LiveShardNode node) {
        return java.util.stream.StreamSupport.stream(Cluster.get(node.system()).state().getMembers().spliterator(),
                false).filter(member -> member.status() == MemberStatus.up()).count();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (edge != null) {
                edge.close();
            }
        } finally {
            if (origin != null) {
                origin.close();
            }
        }
    }

    @Test
    void viewersOnAnotherNodeShareOneCopyOfTheStream() throws Exception {
        StreamKey key = new StreamKey("live", "relayed");
        try (FfmpegPublisher publisher = FfmpegPublisher.start(
                "rtmp://127.0.0.1:" + origin.rtmpPort() + "/live/relayed", 60, 30)) {
            StreamProbe.awaitLiveWithGop(origin, key);
            String edgeFlv = "http://127.0.0.1:" + edge.httpPort() + "/live/relayed.flv";
            try (FlvViewer first = FlvViewer.open(edgeFlv);
                 FlvViewer second = FlvViewer.open(edgeFlv);
                 RtmpPlayer rtmp = RtmpPlayer.play("127.0.0.1", edge.rtmpPort(), "live", "relayed");
                 ArtcClientLoop artcLoop = ArtcClientLoop.forTests();
                 ArtcTestClient artc = ArtcTestClient.connect(artcLoop, ArtcTestClient.Options.forTests(),
                         "127.0.0.1", edge.httpPort(), "live", "relayed")) {
                assertEquals(200, first.status());
                first.awaitTags(60, Duration.ofSeconds(15));
                second.awaitTags(60, Duration.ofSeconds(15));
                rtmp.awaitVideoFrames(30, Duration.ofSeconds(15));
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while ((artc.videoPackets() < 100 || artc.audioPackets() < 50) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(artc.videoPackets() >= 100 && artc.audioPackets() >= 50, "an artc viewer on the edge: "
                        + artc.videoPackets() + " video and " + artc.audioPackets() + " audio packets");
                assertTrue(first.tags().stream().filter(FlvViewer.ReceivedTag::isVideoFrame).findFirst()
                        .map(FlvViewer.ReceivedTag::isKeyframe).orElse(false),
                        "an edge viewer starts with a keyframe from the relay's own GOP cache");

                Ffprobe.Result probe = Ffprobe.probe(edgeFlv, 2);
                assertEquals("h264", probe.stream("video").get("codec_name"), probe.output());
                assertEquals("aac", probe.stream("audio").get("codec_name"), probe.output());

                assertEquals(Map.of(key, 1L), edge.streams().relayCopies(), "one copy crossed to the edge node");
                // Bytes between the nodes: over two seconds the edge's relay takes in what the origin takes in from
                // its publisher, once, not once per viewer (it has four).
                long edgeBefore = bytesIn(edge, key);
                long originBefore = bytesIn(origin, key);
                Thread.sleep(2000);
                double ratio = (double) (bytesIn(edge, key) - edgeBefore) / (bytesIn(origin, key) - originBefore);
                assertTrue(ratio > 0.5 && ratio < 1.5, "the edge took " + ratio + " times the stream's bytes");
                StreamStatus atOrigin = origin.streams().status(key).toCompletableFuture().get();
                assertEquals(Map.of("relay", 1), atOrigin.viewers(),
                        "the owner sees one relay, not the edge's viewers");
                StreamStatus atEdge = edge.streams().status(key).toCompletableFuture().get();
                assertTrue(atEdge.viewers().get("http-flv") >= 2 && atEdge.viewers().get("rtmp") == 1,
                        "the edge counts its own viewers: " + atEdge.viewers());

                JsonNode cluster = getJson(edge, "/api/v1/cluster");
                assertEquals(2, cluster.get("nodes").size(), cluster.toString());
                String originAddress = Cluster.get(origin.system()).selfMember().address().toString();
                for (JsonNode node : cluster.get("nodes")) {
                    assertEquals("Up", node.get("status").asText(), cluster.toString());
                    boolean owner = node.get("address").asText().equals(originAddress);
                    assertEquals(owner, node.get("streamsOwned").toString().contains("live/relayed"),
                            "only the publisher's node owns the stream: " + cluster);
                }
                assertEquals(1, cluster.get("relayedStreams").get("live/relayed").asLong(), cluster.toString());
                assertTrue(cluster.get("load").get("cpuPercentOfOneCore").asDouble() >= -1, cluster.toString());
                // Asked of the origin: the edge's viewers and load come from the edge's reporter, across Artery.
                String edgeAddress = Cluster.get(edge.system()).selfMember().address().toString();
                JsonNode edgeView = null;
                long loadDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < loadDeadline) {
                    JsonNode view = getJson(origin, "/api/v1/cluster");
                    edgeView = null;
                    boolean everyLoad = true;
                    for (JsonNode node : view.get("nodes")) {
                        everyLoad &= node.get("load").isObject() && node.get("load").get("heapMaxBytes").asLong() > 0;
                        if (node.get("address").asText().equals(edgeAddress)) {
                            edgeView = node;
                        }
                    }
                    if (everyLoad && edgeView != null && edgeView.get("viewers").isObject()
                            && edgeView.get("viewers").path("rtmp").asInt() == 1
                            && edgeView.get("viewers").path("artc").asInt() == 1
                            && edgeView.get("viewers").path("http-flv").asInt() >= 2) {
                        break;
                    }
                    edgeView = null;
                    Thread.sleep(200);
                }
                assertNotNull(edgeView, "the origin's cluster view shows every node's load and the edge's viewers: "
                        + getJson(origin, "/api/v1/cluster"));
                JsonNode listed = getJson(edge, "/api/v1/streams/live/relayed");
                assertEquals(1, listed.get("viewers").get("rtmp").asInt(), listed.toString());
                // The edge's console shows the stream's uptime and publisher as the owner knows them.
                JsonNode atOwner = getJson(origin, "/api/v1/streams/live/relayed");
                assertEquals(atOwner.get("liveSinceMillis").asLong(), listed.get("liveSinceMillis").asLong(),
                        listed.toString());
                assertTrue(listed.get("liveSinceMillis").asLong() > 0, listed.toString());
                assertEquals(atOwner.get("publisher").asText(), listed.get("publisher").asText(), listed.toString());
            }
        }
    }

    /**
     * Keyframes of 150–330 KB (a noisy picture at 3 Mbit/s with x264's I-frames made 8 times dearer than P-frames)
     * and a GOP of ~700 KB: more than Pekko's remoting carries in one message (256 KiB). The copy crosses in pieces;
     * it used to fail on its first message, and the edge viewer waited while the relay asked again and again.
     */
    @Test
    void aStreamWithKeyframesLargerThanARemoteMessageCrossesAtOnce() throws Exception {
        StreamKey key = new StreamKey("live", "bigframes");
        try (FfmpegPublisher publisher = FfmpegPublisher.start(
                "rtmp://127.0.0.1:" + origin.rtmpPort() + "/live/bigframes", 60, List.of("-preset", "veryfast",
                        "-tune", "zerolatency", "-g", "60", "-vf", "noise=alls=60", "-b:v", "3M",
                        "-x264-params", "ipratio=8"))) {
            StreamProbe.awaitLiveWithGop(origin, key);
            StreamProbe.awaitStatus(origin, key, status -> status.stats().bytesIn() > 800_000,
                    Duration.ofSeconds(15), "a GOP of several hundred kilobytes cached at the origin");
            long opened = System.nanoTime();
            try (FlvViewer viewer = FlvViewer.open("http://127.0.0.1:" + edge.httpPort() + "/live/bigframes.flv")) {
                assertEquals(200, viewer.status());
                viewer.awaitTags(120, Duration.ofSeconds(15));
                long tookMillis = (System.nanoTime() - opened) / 1_000_000;
                FlvViewer.ReceivedTag firstVideo = viewer.tags().stream()
                        .filter(FlvViewer.ReceivedTag::isVideoFrame).findFirst().orElseThrow();
                assertTrue(firstVideo.isKeyframe(), "the edge viewer starts with a keyframe");
                int largest = viewer.tags().stream().filter(FlvViewer.ReceivedTag::isVideoFrame)
                        .mapToInt(tag -> tag.tag().body().length).max().orElse(0);
                assertTrue(largest > 150_000, "the keyframes are large: " + largest + " bytes");
                assertEquals(1L, edge.streams().relayCopies().get(key),
                        "one copy, not one per failed first message; 120 tags took " + tookMillis + " ms");
                assertTrue(tookMillis < 5000, "120 tags of the relayed stream took " + tookMillis + " ms");
            }
        }
    }

    @Test
    void aFourthNodeJoiningWhileTwoHundredViewersWatchStallsNoViewer() throws Exception {
        String seed = Cluster.get(origin.system()).selfMember().address().toString();
        try (FfmpegPublisher publisher = FfmpegPublisher.start(
                "rtmp://127.0.0.1:" + origin.rtmpPort() + "/live/joined", 60, 30);
             LiveShardNode third = TestNode.start(Map.of("pekko.cluster.seed-nodes", List.of(seed)))) {
            awaitUpMembers(3);
            StreamProbe.awaitLiveWithGop(origin, new StreamKey("live", "joined"));
            List<LiveShardNode> nodes = List.of(origin, edge, third);
            List<FlvViewer> viewers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < VIEWERS_WHILE_JOINING; i++) {
                    LiveShardNode node = nodes.get(i % nodes.size());
                    viewers.add(FlvViewer.open("http://127.0.0.1:" + node.httpPort() + "/live/joined.flv"));
                }
                for (FlvViewer viewer : viewers) {
                    viewer.awaitTags(30, Duration.ofSeconds(30));
                }
                long joinStarted = System.nanoTime();
                try (LiveShardNode fourth = TestNode.start(Map.of("pekko.cluster.seed-nodes", List.of(seed)))) {
                    awaitUpMembers(4);
                    Thread.sleep(3000);
                    long joinWatched = System.nanoTime();
                    for (FlvViewer viewer : viewers) {
                        assertFalse(viewer.ended(), "a viewer lost its connection: " + viewer.failure());
                        long gap = longestVideoGapNanos(viewer, joinStarted, joinWatched);
                        assertTrue(gap < Duration.ofSeconds(1).toNanos(), "a viewer stalled "
                                + gap / 1_000_000 + " ms while a node joined");
                    }
                }
            } finally {
                viewers.forEach(FlvViewer::close);
            }
        }
    }

    private static void awaitUpMembers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (upMembers(origin) < count) {
            assertTrue(System.nanoTime() < deadline, "the cluster did not reach " + count + " nodes");
            Thread.sleep(100);
        }
    }

    /** The longest time without a video frame between {@code from} and {@code to}, edges included. */
    private static long longestVideoGapNanos(FlvViewer viewer, long from, long to) {
        long previous = from;
        long longest = 0;
        for (FlvViewer.ReceivedTag tag : viewer.tags()) {
            if (tag.isVideoFrame() && tag.arrivedNanos() > from && tag.arrivedNanos() <= to) {
                longest = Math.max(longest, tag.arrivedNanos() - previous);
                previous = tag.arrivedNanos();
            }
        }
        return Math.max(longest, to - previous);
    }

    private static long bytesIn(LiveShardNode node, StreamKey key) throws Exception {
        return node.streams().status(key).toCompletableFuture().get().stats().bytesIn();
    }

    private static JsonNode getJson(LiveShardNode node, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new ObjectMapper().readTree(response.body());
    }

    @Test
    void anArtcViewerCanBeTheFirstViewerOnItsNode() throws Exception {
        // The offer is answered with the stream's codecs, which the edge has only once its relay copies the stream:
        // the offer starts the relay instead of finding the stream "not live" there.
        StreamKey key = new StreamKey("live", "artcfirst");
        try (FfmpegPublisher publisher = FfmpegPublisher.start(
                "rtmp://127.0.0.1:" + origin.rtmpPort() + "/live/artcfirst", 60, 30)) {
            StreamProbe.awaitLiveWithGop(origin, key);
            assertFalse(edge.streams().relayCopies().containsKey(key), "no viewer on the edge yet");
            try (ArtcClientLoop artcLoop = ArtcClientLoop.forTests();
                 ArtcTestClient artc = ArtcTestClient.connect(artcLoop, ArtcTestClient.Options.forTests(),
                         "127.0.0.1", edge.httpPort(), "live", "artcfirst")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while ((artc.videoPackets() < 100 || artc.audioPackets() < 50) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(artc.videoPackets() >= 100 && artc.audioPackets() >= 50, "the edge's first viewer, artc: "
                        + artc.videoPackets() + " video and " + artc.audioPackets() + " audio packets");
                assertEquals(1L, edge.streams().relayCopies().get(key), "one copy crossed to the edge node");
                assertEquals(200, artc.delete());
            }
            // The copy the offer started is released once its viewer has left and the offer's hold (10 s) is over.
            long released = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (edge.streams().relayCopies().containsKey(key) && System.nanoTime() < released) {
                Thread.sleep(100);
            }
            assertFalse(edge.streams().relayCopies().containsKey(key), "the edge let the copy go");
        }
    }

    @Test
    void aViewerWaitingBeforeAnyPublisherFollowsTheStreamToThePublishersNode() throws Exception {
        StreamKey key = new StreamKey("live", "early");
        // The player asks first, on the origin: the stream's entity starts there and the player waits in it.
        try (RtmpPlayer early = RtmpPlayer.play("127.0.0.1", origin.rtmpPort(), "live", "early")) {
            Thread.sleep(1_000);
            try (FfmpegPublisher publisher = FfmpegPublisher.start(
                    "rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/early", 60, 30)) {
                early.awaitVideoFrames(30, Duration.ofSeconds(20));
                assertFalse(early.ended(), "the waiting player kept its connection");
                assertEquals(1L, origin.streams().relayCopies().get(key),
                        "the player now watches through the origin's relay");
                assertTrue(edge.streams().status(key).toCompletableFuture().get().publishing());
            }
        }
    }

    @Test
    void aViewerOfTheOwnersNodeFollowsItsPublisherToAnotherNode() throws Exception {
        StreamKey key = new StreamKey("live", "hop");
        String originFlv = "http://127.0.0.1:" + origin.httpPort() + "/live/hop.flv";
        FfmpegPublisher first = FfmpegPublisher.start("rtmp://127.0.0.1:" + origin.rtmpPort() + "/live/hop", 60, 30);
        try (FlvViewer viewer = openWhenLive(key, originFlv)) {
            viewer.awaitTags(60, Duration.ofSeconds(15));
            first.close();
            // Within the publisher grace period the publisher comes back, but on the other node.
            try (FfmpegPublisher second = FfmpegPublisher.start(
                    "rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/hop", 60, 30)) {
                long switched = System.nanoTime();
                long deadline = switched + Duration.ofSeconds(20).toNanos();
                while (videoFramesAfter(viewer, switched) < 60 && System.nanoTime() < deadline && !viewer.ended()) {
                    Thread.sleep(50);
                }
                assertFalse(viewer.ended(), "the viewer lost its connection: " + viewer.failure());
                assertTrue(videoFramesAfter(viewer, switched) >= 60, "frames after the publisher moved: "
                        + videoFramesAfter(viewer, switched));
                assertEquals(1L, origin.streams().relayCopies().get(key),
                        "the origin's viewer now watches through its relay");
                long previous = -1;
                for (FlvViewer.ReceivedTag tag : viewer.tags()) {
                    if (tag.isVideoFrame()) {
                        assertTrue(tag.tag().timestamp() >= previous, "video timestamps went back from " + previous
                                + " to " + tag.tag().timestamp());
                        previous = tag.tag().timestamp();
                    }
                }
            }
        } finally {
            first.close();
        }
    }

    @Test
    void aSecondPublisherOnAnotherNodeIsRefusedAndTheFirstKeepsTheStream() throws Exception {
        StreamKey key = new StreamKey("live", "contested");
        String originFlv = "http://127.0.0.1:" + origin.httpPort() + "/live/contested.flv";
        try (FfmpegPublisher first = FfmpegPublisher.start(
                "rtmp://127.0.0.1:" + origin.rtmpPort() + "/live/contested", 60, 30);
             FlvViewer viewer = openWhenLive(key, originFlv)) {
            viewer.awaitTags(30, Duration.ofSeconds(15));
            try (RawRtmpClient second = RawRtmpClient.open(edge.rtmpPort()).handshake().connect("live")
                    .command(0, "createStream", 2.0, null).command(1, "publish", 3.0, null, "contested", "live")) {
                assertTrue(second.awaitText("NetStream.Publish.BadName", Duration.ofSeconds(10)),
                        "the second publisher was not refused: "
                                + second.receivedText().replaceAll("[^\\p{Print}]", "."));
            }
            long refused = System.nanoTime();
            long deadline = refused + Duration.ofSeconds(10).toNanos();
            while (videoFramesAfter(viewer, refused) < 30 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(viewer.ended(), "the origin's viewer lost the stream: " + viewer.failure());
            assertTrue(videoFramesAfter(viewer, refused) >= 30, "frames from the first publisher after the refusal");
            assertTrue(origin.streams().status(key).toCompletableFuture().get().publishing(),
                    "the stream stayed with its publisher on the origin");
        }
    }

    @Test
    void aPublisherSilentOnItsNodeDoesNotHoldOffOneOnAnother() throws Exception {
        // A publisher whose connection is up but sends nothing, as a dead encoder's half-open connection does until
        // the idle timeout notices it: a publisher reconnecting through another node must not wait for that.
        try (RawRtmpClient silent = RawRtmpClient.open(origin.rtmpPort()).handshake().connect("live")
                .command(0, "createStream", 2.0, null).command(1, "publish", 3.0, null, "silent", "live")) {
            assertTrue(silent.awaitText("NetStream.Publish.Start", Duration.ofSeconds(10)), "the first publisher");
            Thread.sleep(StreamEntity.PUBLISHER_SILENCE.toMillis() + 500);
            try (RawRtmpClient second = RawRtmpClient.open(edge.rtmpPort()).handshake().connect("live")
                    .command(0, "createStream", 2.0, null).command(1, "publish", 3.0, null, "silent", "live")) {
                assertTrue(second.awaitText("NetStream.Publish.Start", Duration.ofSeconds(40)),
                        "the publisher on the other node took the silent stream over: "
                                + second.receivedText().replaceAll("[^\\p{Print}]", "."));
            }
        }
    }

    private static FlvViewer openWhenLive(StreamKey key, String url) throws Exception {
        StreamProbe.awaitLiveWithGop(origin, key);
        FlvViewer viewer = FlvViewer.open(url);
        assertEquals(200, viewer.status());
        return viewer;
    }

    private static long videoFramesAfter(FlvViewer viewer, long nanos) {
        return viewer.tags().stream().filter(tag -> tag.isVideoFrame() && tag.arrivedNanos() > nanos).count();
    }

    @Test
    void aPublisherMovesTheStreamToItsNode() throws Exception {
        StreamKey key = new StreamKey("live", "moved");
        // A request on the origin starts the stream's entity there first.
        assertFalse(origin.streams().status(key).toCompletableFuture().get().live());
        try (FfmpegPublisher publisher = FfmpegPublisher.start(
                "rtmp://127.0.0.1:" + edge.rtmpPort() + "/live/moved", 60, 30)) {
            StreamProbe.awaitLiveWithGop(edge, key);
            String originFlv = "http://127.0.0.1:" + origin.httpPort() + "/live/moved.flv";
            try (FlvViewer viewer = FlvViewer.open(originFlv)) {
                assertEquals(200, viewer.status());
                viewer.awaitTags(30, Duration.ofSeconds(15));
                // The origin now watches through a relay: the stream's entity moved to the publisher's node.
                assertEquals(1L, origin.streams().relayCopies().get(key));
            }
            StreamStatus atEdge = edge.streams().status(key).toCompletableFuture().get();
            assertTrue(atEdge.publishing(), "the publisher's node owns the stream");
        }
    }
}
