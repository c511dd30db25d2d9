package io.liveshard.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.amf.Amf0EcmaArray;
import io.liveshard.protocol.amf.Amf0Encoder;
import io.liveshard.protocol.amf.Amf0Undefined;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtmpServerSessionTest {

    private final RtmpRecordingSink sink = new RtmpRecordingSink();
    private final RtmpRecordingListener listener = new RtmpRecordingListener();
    private final RtmpServerSession session = new RtmpServerSession(RtmpLimits.defaults(), listener, sink);

    RtmpServerSessionTest() {
        listener.session = session;
    }

    private boolean feed(RtmpTestPeer peer) {
        return session.onBytes(ByteBuffer.wrap(peer.take()));
    }

    private List<RtmpMessage> replies() {
        return RtmpTestPeer.serverMessages(sink.toByteArray());
    }

    /** The AMF values of every command and data message the server sent, in order. */
    private List<List<Object>> amfReplies() {
        return replies().stream()
                .filter(m -> m.typeId() == RtmpMessageType.COMMAND_AMF0.code()
                        || m.typeId() == RtmpMessageType.DATA_AMF0.code())
                .map(RtmpTestPeer::amf).toList();
    }

    /** The {@code code} of every onStatus command the server sent. */
    private List<String> statusCodes() {
        return replies().stream().filter(m -> m.typeId() == RtmpMessageType.COMMAND_AMF0.code())
                .map(RtmpTestPeer::amf).filter(v -> v.get(0).equals("onStatus"))
                .map(v -> (String) ((Map<?, ?>) v.get(v.size() - 1)).get("code")).toList();
    }

    private static Map<String, Object> connectObject(String app) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("app", app);
        object.put("flashVer", "FMLE/3.0 (compatible; test)");
        object.put("tcUrl", "rtmp://127.0.0.1/" + app);
        object.put("objectEncoding", 0.0);
        return object;
    }

    private static RtmpTestPeer connected() {
        return new RtmpTestPeer().handshake().command(0, "connect", 1, connectObject("live"));
    }

    private static RtmpTestPeer publishing(String name) {
        return connected()
                .command(0, "releaseStream", 2, null, name)
                .command(0, "FCPublish", 3, null, name)
                .command(0, "createStream", 4, (Object) null)
                .command(1, "publish", 5, null, name, "live");
    }

    @Test
    void connectGetsTheControlMessagesAndResultClientsExpect() {
        assertTrue(feed(new RtmpTestPeer().handshake().command(0, "connect", 1, connectObject("live/?x=1"))));
        assertEquals(List.of("connect live rtmp://127.0.0.1/live/?x=1"), listener.events);
        assertEquals(3, sink.toByteArray()[0], "S0");
        List<RtmpMessage> replies = replies();
        assertEquals(List.of(5, 6, 1, 20), replies.stream().map(RtmpMessage::typeId).toList());
        assertArrayEquals(RtmpTestPeer.u32(2_500_000), replies.get(0).payload());
        assertEquals("002625a002", HexFormat.of().formatHex(replies.get(1).payload()));
        assertArrayEquals(RtmpTestPeer.u32(4096), replies.get(2).payload());
        List<Object> result = RtmpTestPeer.amf(replies.get(3));
        assertEquals("_result", result.get(0));
        assertEquals(1.0, result.get(1));
        assertEquals(Map.of("fmsVer", "FMS/3,0,1,123", "capabilities", 31.0), result.get(2));
        Map<?, ?> information = (Map<?, ?>) result.get(3);
        assertEquals("NetConnection.Connect.Success", information.get("code"));
        assertEquals("status", information.get("level"));
        assertEquals(0.0, information.get("objectEncoding"));
    }

    @Test
    void publishFlowDeliversMediaWithoutSetDataFrame() {
        assertTrue(feed(publishing("cam1?token=abc")));
        assertEquals(List.of("connect live rtmp://127.0.0.1/live", "publish live/cam1 ?token=abc"), listener.events);
        List<List<Object>> amf = amfReplies();
        assertEquals(Arrays.asList("_result", 2.0, null, Amf0Undefined.INSTANCE).toString(), amf.get(1).toString());
        assertEquals("onFCPublish", amf.get(2).get(0));
        assertEquals(Arrays.asList("_result", 4.0, null, 1.0).toString(), amf.get(4).toString());
        assertEquals(List.of("NetStream.Publish.Start"), statusCodes());
        RtmpMessage status = replies().get(replies().size() - 1);
        assertEquals(1, status.messageStreamId());

        Amf0EcmaArray metadata = new Amf0EcmaArray();
        metadata.put("width", 160.0);
        byte[] video = {0x17, 0, 0, 0, 0, 1, 2};
        byte[] audio = {(byte) 0xAF, 0, 0x12, 0x10};
        assertTrue(feed(new RtmpTestPeer()
                .message(4, 18, 0, 1, Amf0Encoder.encode("@setDataFrame", "onMetaData", metadata))
                .message(6, 9, 0, 1, video)
                .message(4, 8, 23, 1, audio)));
        assertEquals(List.of(18, 9, 8), listener.media.stream().map(RtmpMessage::typeId).toList());
        assertArrayEquals(Amf0Encoder.encode("onMetaData", metadata), listener.media.get(0).payload());
        assertArrayEquals(video, listener.media.get(1).payload());
        assertEquals(23, listener.media.get(2).timestamp());

        assertTrue(feed(new RtmpTestPeer().command(0, "FCUnpublish", 6, null, "cam1?token=abc")
                .command(0, "deleteStream", 7, null, 1.0)));
        assertEquals("closed", listener.events.get(listener.events.size() - 1));
        assertEquals(1, listener.events.stream().filter("closed"::equals).count());
        // Media after the stream closed is a straggler, not an error.
        assertTrue(feed(new RtmpTestPeer().message(6, 9, 40, 1, video)));
        assertEquals(3, listener.media.size());
    }

    @Test
    void mediaBeforeTheAnswerIsDropped() {
        listener.answer = RtmpRecordingListener.Answer.NONE;
        assertTrue(feed(publishing("cam1").message(6, 9, 0, 1, new byte[] {0x17})));
        assertTrue(listener.media.isEmpty());
        session.acceptPublish();
        assertTrue(feed(new RtmpTestPeer().message(6, 9, 0, 1, new byte[] {0x17})));
        assertEquals(1, listener.media.size());
    }

    @Test
    void playFlowSendsWhatPlayersWaitFor() {
        assertTrue(feed(connected().command(0, "createStream", 2, (Object) null)
                .command(1, "play", 3, null, "cam1", -2000.0)));
        assertEquals("play live/cam1 ?", listener.events.get(1));
        List<RtmpMessage> replies = replies();
        List<RtmpMessage> afterCreate = replies.subList(5, replies.size());
        assertEquals(List.of(4, 20, 20, 18), afterCreate.stream().map(RtmpMessage::typeId).toList());
        assertEquals("00000000" + "0001", HexFormat.of().formatHex(afterCreate.get(0).payload()));
        assertEquals(List.of("NetStream.Play.Reset", "NetStream.Play.Start"), statusCodes());
        assertEquals(List.of("|RtmpSampleAccess", true, true), RtmpTestPeer.amf(afterCreate.get(3)));
        for (RtmpMessage message : afterCreate.subList(1, 4)) {
            assertEquals(1, message.messageStreamId());
        }

        byte[] video = new byte[10_000];
        video[0] = 0x17;
        byte[] audio = {(byte) 0xAF, 1, 2};
        RtmpMediaWriter mediaWriter = session.mediaWriter();
        mediaWriter.write(9, 40, video, sink);
        mediaWriter.write(8, 41, audio, sink);
        mediaWriter.write(18, 0, Amf0Encoder.encode("onMetaData", new Amf0EcmaArray()), sink);
        List<RtmpMessage> media = replies().subList(replies.size(), replies.size() + 3);
        assertEquals(List.of(9, 8, 18), media.stream().map(RtmpMessage::typeId).toList());
        assertEquals(List.of(6, 4, 7), media.stream().map(RtmpMessage::chunkStreamId).toList());
        assertEquals(List.of(40L, 41L, 0L), media.stream().map(RtmpMessage::timestamp).toList());
        assertArrayEquals(video, media.get(0).payload());
        assertEquals(3, sink.slices.stream().filter(s -> s.array() == video).count(), "video sent zero-copy");

        session.sendPlayUnpublishNotify();
        session.sendPlayPublishNotify();
        assertEquals(List.of("NetStream.Play.Reset", "NetStream.Play.Start", "NetStream.Play.UnpublishNotify",
                "NetStream.Play.PublishNotify"), statusCodes());
        List<RtmpMessage> all = replies();
        assertEquals("00010000" + "0001", HexFormat.of().formatHex(all.get(all.size() - 3).payload()), "Stream EOF");
        assertEquals("00000000" + "0001", HexFormat.of().formatHex(all.get(all.size() - 2).payload()), "Stream Begin");

        assertTrue(feed(new RtmpTestPeer().command(1, "closeStream", 0, (Object) null)));
        assertEquals("closed", listener.events.get(listener.events.size() - 1));
        // The server may still have a status in flight for a player that just left: dropped, not an error.
        int sent = sink.toByteArray().length;
        session.sendPlayUnpublishNotify();
        assertEquals(sent, sink.toByteArray().length);
    }

    @Test
    void rejectedPublishGetsBadNameAndCloses() {
        listener.answer = RtmpRecordingListener.Answer.REJECT;
        assertTrue(feed(publishing("cam1")));
        assertTrue(session.isClosing());
        List<Object> status = amfReplies().get(amfReplies().size() - 1);
        Map<?, ?> info = (Map<?, ?>) status.get(3);
        assertEquals("error", info.get("level"));
        assertEquals("NetStream.Publish.BadName", info.get("code"));
        assertEquals("stream live/cam1 is already published", info.get("description"));
    }

    @Test
    void rejectedPlayGetsStreamNotFoundAndCloses() {
        listener.answer = RtmpRecordingListener.Answer.REJECT;
        assertTrue(feed(connected().command(0, "createStream", 2, (Object) null).command(1, "play", 3, null, "cam1")));
        assertTrue(session.isClosing());
        assertEquals(List.of("NetStream.Play.StreamNotFound"), statusCodes());
    }

    static Stream<Arguments> badNames() {
        return Stream.of("..", "../etc", "cam\n1", "cam\u00001", "a/b", "?token=1", "cam 1", "x".repeat(200))
                .flatMap(name -> Stream.of(Arguments.of("publish", name, "NetStream.Publish.BadName"),
                        Arguments.of("play", name, "NetStream.Play.StreamNotFound")));
    }

    @ParameterizedTest(name = "{0} \"{1}\" is answered with {2}")
    @MethodSource("badNames")
    void refusesBadStreamNames(String command, String name, String code) {
        assertTrue(feed(connected().command(0, "createStream", 2, (Object) null)
                .command(1, command, 3, null, name)));
        assertEquals(List.of(code), statusCodes());
        assertTrue(session.isClosing());
        assertEquals(2, listener.events.size(), "listener never asked, only told: " + listener.events);
        assertTrue(listener.events.get(1).startsWith("notice " + command + " refused: "), listener.events.toString());
    }

    static Stream<Arguments> failures() {
        Map<String, Object> deep = connectObject("live");
        Map<String, Object> inner = deep;
        for (int i = 0; i < 17; i++) {
            Map<String, Object> next = new LinkedHashMap<>();
            inner.put("nested", next);
            inner = next;
        }
        return Stream.of(
                failure("garbage instead of a handshake",
                        p -> p.raw("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                        "rtmp handshake: client asked for RTMP version 71, only 3 exists"),
                failure("publish before connect", p -> p.handshake().command(1, "publish", 1, null, "cam1"),
                        "publish before connect"),
                failure("play before connect", p -> p.handshake().command(1, "play", 1, null, "cam1"),
                        "play before connect"),
                failure("createStream before connect", p -> p.handshake().command(0, "createStream", 1),
                        "createStream before connect"),
                failure("chunk size 0", p -> p.handshake().message(2, 1, 0, 0, RtmpTestPeer.u32(0)),
                        "rtmp: chunk size 0 out of range 1..16777216"),
                failure("negative chunk size", p -> p.handshake().message(2, 1, 0, 0, RtmpTestPeer.u32(0xFFFFFFFFL)),
                        "rtmp: chunk size -1 out of range 1..16777216"),
                failure("oversize message",
                        p -> p.handshake().raw(HexFormat.of().parseHex("03000000900000140000000002")),
                        "rtmp: message length 9437184 on chunk stream 3 over limit 8388608"),
                failure("AMF nested too deep", p -> p.handshake().command(0, "connect", 1, deep),
                        "rtmp command: AMF0 nesting deeper than 16 at offset 271"),
                failure("truncated AMF in a command",
                        p -> p.handshake().message(3, 20, 0, 0, HexFormat.of().parseHex("020007636f6e6e656374003ff0")),
                        "rtmp command: AMF0 truncated at offset 11: a number needs 8 bytes, 2 left"),
                failure("command without a name", p -> p.handshake().message(3, 20, 0, 0, Amf0Encoder.encode(1.0)),
                        "rtmp command: command message does not start with a command name"),
                failure("oversize command", p -> p.handshake().command(0, "connect", 1, "x".repeat(70_000)),
                        "rtmp: type 20 message of 70024 bytes on chunk stream 3 over limit 65536"),
                failure("unknown message type 7", p -> p.handshake().message(3, 7, 0, 0, new byte[3]),
                        "rtmp: unknown message type 7"),
                failure("audio from a client that does not publish",
                        p -> connected().message(4, 8, 0, 1, new byte[] {(byte) 0xAF}),
                        "rtmp: message type 8 from a client that is not publishing"),
                failure("connect twice", p -> connected().command(0, "connect", 2, connectObject("live")),
                        "connect on a connection that is already connected"),
                failure("connect without app", p -> p.handshake().command(0, "connect", 1, Map.of("tcUrl", "x")),
                        "connect without an app"),
                failure("publish twice", p -> publishing("cam1").command(1, "publish", 6, null, "cam2"),
                        "publish on a connection that already published or played"),
                failure("publish without a name", p -> connected().command(1, "publish", 2, (Object) null),
                        "publish without a stream name"),
                failure("short user control", p -> connected().message(2, 4, 0, 0, new byte[1]),
                        "rtmp: user control message of 1 bytes"),
                failure("aggregate overrunning its size",
                        p -> publishing("cam1").message(6, 22, 0, 1, HexFormat.of().parseHex("090000ff00000000000000")),
                        "aggregate sub-message of 255 bytes overruns the 0 bytes left"));
    }

    private static Arguments failure(String name, Function<RtmpTestPeer, RtmpTestPeer> client, String reason) {
        return Arguments.of(name, client, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failsWithAClearReason(String name, Function<RtmpTestPeer, RtmpTestPeer> client, String reason) {
        assertFalse(feed(client.apply(new RtmpTestPeer())));
        assertEquals(reason, session.failureReason());
        assertFalse(feed(connected()), "stays failed");
    }

    @Test
    void unknownCommandGetsAnErrorAndTheSessionContinues() {
        assertTrue(feed(connected().command(0, "FCSubscribeX", 7, null, "cam1\n")));
        List<Object> error = amfReplies().get(amfReplies().size() - 1);
        assertEquals("_error", error.get(0));
        assertEquals(7.0, error.get(1));
        assertEquals("NetConnection.Call.Failed", ((Map<?, ?>) error.get(3)).get("code"));
        assertEquals("notice answered unknown command FCSubscribeX with _error", listener.events.get(1));
        assertTrue(feed(new RtmpTestPeer().command(0, "createStream", 8, (Object) null)));
        assertEquals(Arrays.asList("_result", 8.0, null, 1.0).toString(),
                amfReplies().get(amfReplies().size() - 1).toString());
        assertNull(session.failureReason());
    }

    @Test
    void fcSubscribeAndFcUnsubscribeAreAnsweredAsLibrtmpExpects() {
        assertTrue(feed(connected().command(0, "FCSubscribe", 2, null, "cam1")));
        List<List<Object>> amf = amfReplies();
        List<Object> notice = amf.get(amf.size() - 2);
        assertEquals("onFCSubscribe", notice.get(0));
        assertEquals("NetStream.Play.Start", ((Map<?, ?>) notice.get(3)).get("code"));
        assertEquals("cam1", ((Map<?, ?>) notice.get(3)).get("description"));
        assertEquals(Arrays.asList("_result", 2.0, null, Amf0Undefined.INSTANCE).toString(),
                amf.get(amf.size() - 1).toString());
        assertTrue(feed(new RtmpTestPeer().command(0, "FCUnsubscribe", 3, null, "cam1")));
        amf = amfReplies();
        assertEquals("onFCUnsubscribe", amf.get(amf.size() - 2).get(0));
        assertEquals("NetStream.Play.Stop", ((Map<?, ?>) amf.get(amf.size() - 2).get(3)).get("code"));
        assertEquals(Arrays.asList("_result", 3.0, null, Amf0Undefined.INSTANCE).toString(),
                amf.get(amf.size() - 1).toString());
        assertNull(session.failureReason());
    }

    @Test
    void ignoredCommandsGetNoReply() {
        assertTrue(feed(connected()));
        int before = replies().size();
        assertTrue(feed(new RtmpTestPeer().command(0, "_checkbw", 2, (Object) null)
                .command(1, "receiveAudio", 0, null, true).command(1, "play2", 0, null, Map.of())));
        assertEquals(before, replies().size());
        assertTrue(feed(new RtmpTestPeer().command(0, "getStreamLength", 3, null, "cam1")));
        assertEquals(Arrays.asList("_result", 3.0, null, 0.0).toString(), amfReplies().get(amfReplies().size() - 1).toString());
    }

    @Test
    void answersPingRequests() {
        assertTrue(feed(connected().message(2, 4, 0, 0, HexFormat.of().parseHex("000600001234"))));
        RtmpMessage reply = replies().get(replies().size() - 1);
        assertEquals(RtmpMessageType.USER_CONTROL.code(), reply.typeId());
        assertEquals("000700001234", HexFormat.of().formatHex(reply.payload()));
    }

    @Test
    void reportsOddButHarmlessMessages() {
        assertTrue(feed(connected().message(2, 4, 0, 0, HexFormat.of().parseHex("00630000"))
                .message(3, 19, 0, 0, new byte[] {0})
                .message(2, 4, 0, 0, HexFormat.of().parseHex("000300000001000003e8"))));
        assertEquals(List.of("notice ignored unknown user control event 99", "notice ignored a shared object message"),
                listener.events.subList(1, 3));
        assertEquals(3, listener.events.size());
    }

    @Test
    void acknowledgesEveryWindowOfBytes() {
        assertTrue(feed(connected().message(2, 5, 0, 0, RtmpTestPeer.u32(5000))));
        long fed = 0;
        for (int i = 0; i < 4; i++) {
            byte[] bytes = new RtmpTestPeer().command(0, "_checkbw", 2, null, "p".repeat(3000)).take();
            fed += bytes.length;
            assertTrue(session.onBytes(ByteBuffer.wrap(bytes)));
        }
        List<Long> acks = replies().stream().filter(m -> m.typeId() == RtmpMessageType.ACKNOWLEDGEMENT.code())
                .map(m -> ByteBuffer.wrap(m.payload()).getInt() & 0xFFFFFFFFL).toList();
        assertEquals(2, acks.size(), acks.toString());
        assertTrue(acks.get(0) >= 5000 && acks.get(1) - acks.get(0) >= 5000, acks.toString());
        assertTrue(acks.get(1) <= fed + 3073 + 400, acks.toString());
    }

    @Test
    void amf3CommandsAreReadAsAmf0AfterTheFormatByte() {
        byte[] amf0 = Amf0Encoder.encode("connect", 1.0, connectObject("live"));
        byte[] amf3 = new byte[amf0.length + 1];
        System.arraycopy(amf0, 0, amf3, 1, amf0.length);
        assertTrue(feed(new RtmpTestPeer().handshake().message(3, 17, 0, 0, amf3)));
        assertEquals("connect live rtmp://127.0.0.1/live", listener.events.get(0));
    }

    @Test
    void splitsAggregateMessages() {
        byte[] aggregate = HexFormat.of().parseHex(
                "09 000002 0003e8 00 000000 1701 0000000d".replace(" ", "")
                        + "08 000001 0003f2 00 000000 af 0000000c".replace(" ", ""));
        assertTrue(feed(publishing("cam1").message(6, 22, 5000, 1, aggregate)));
        assertEquals(List.of(9, 8), listener.media.stream().map(RtmpMessage::typeId).toList());
        assertEquals(List.of(5000L, 5010L), listener.media.stream().map(RtmpMessage::timestamp).toList());
        assertArrayEquals(new byte[] {0x17, 0x01}, listener.media.get(0).payload());
    }

    @Test
    void answersOnlyPendingRequests() {
        assertThrows(IllegalStateException.class, session::acceptPublish);
        assertThrows(IllegalStateException.class, session::mediaWriter);
        listener.answer = RtmpRecordingListener.Answer.NONE;
        assertTrue(feed(publishing("cam1")));
        assertThrows(IllegalStateException.class, session::acceptPlay);
        assertTrue(feed(new RtmpTestPeer().command(0, "FCUnpublish", 6, null, "cam1")));
        // The client left before the server decided: a late answer is ignored, not an error.
        session.acceptPublish();
        assertEquals(List.of(), statusCodes());
    }

    @Test
    void mediaWriterRefusesOtherTypes() {
        assertTrue(feed(connected().command(1, "play", 3, null, "cam1")));
        assertThrows(IllegalArgumentException.class, () -> session.mediaWriter().write(20, 0, new byte[1], sink));
    }
}
