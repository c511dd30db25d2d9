package io.liveshard.node.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpFlvRequestSnifferTest {

    private static ByteString ascii(String text) {
        return ByteString.fromString(text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void takesAnHttpFlvPlayWithItsQueryAndHeaders() {
        HttpFlvRequestSniffer sniffer = new HttpFlvRequestSniffer();
        String head = "GET /live/cam1.flv?auth_key=1-0-0-abc HTTP/1.1\r\nHost: node:8080\r\nOrigin: https://a.example\r\n"
                + "User-Agent: ffprobe\r\n\r\n";
        assertEquals(HttpFlvRequestSniffer.State.FLV_PLAY, sniffer.offer(ascii(head)));
        HttpFlvRequestSniffer.FlvRequest request = sniffer.request().orElseThrow();
        assertEquals("/live/cam1.flv?auth_key=1-0-0-abc", request.target());
        assertEquals(List.of("Host", "Origin", "User-Agent"), request.headers().stream().map(f -> f[0]).toList());
        assertArrayEquals(new String[] {"Origin", "https://a.example"}, request.headers().get(1));
    }

    @Test
    void waitsForTheWholeHeadAcrossReads() {
        HttpFlvRequestSniffer sniffer = new HttpFlvRequestSniffer();
        String head = "GET /live/cam1.flv HTTP/1.1\r\nHost: x\r\n\r\n";
        for (int i = 0; i < head.length() - 1; i++) {
            assertEquals(HttpFlvRequestSniffer.State.NEED_MORE, sniffer.offer(ascii(head.substring(i, i + 1))),
                    "after " + (i + 1) + " bytes");
        }
        assertEquals(HttpFlvRequestSniffer.State.FLV_PLAY, sniffer.offer(ascii(head.substring(head.length() - 1))));
        assertEquals(ascii(head), sniffer.received());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            another method          | POST /live/cam1.flv HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
            HEAD                    | HEAD /live/cam1.flv HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
            not FLV                 | GET /live/cam1.m3u8 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
            API                     | GET /api/v1/streams HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
            HTTP/1.0                | GET /live/cam1.flv HTTP/1.0\\r\\n\\r\\n
            three path segments     | GET /a/b/c.flv HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
            a body                  | GET /live/cam1.flv HTTP/1.1\\r\\nContent-Length: 3\\r\\n\\r\\nabc
            pipelined request       | GET /live/cam1.flv HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET / HTTP/1.1\\r\\n\\r\\n
            folded header           | GET /live/cam1.flv HTTP/1.1\\r\\nHost: x\\r\\n folded\\r\\n\\r\\n
            header without colon    | GET /live/cam1.flv HTTP/1.1\\r\\nHost x\\r\\n\\r\\n
            space before colon      | GET /live/cam1.flv HTTP/1.1\\r\\nHost : x\\r\\n\\r\\n
            no Host                 | GET /live/cam1.flv HTTP/1.1\\r\\nAccept: */*\\r\\n\\r\\n
            binary garbage          | \\u0016\\u0003\\u0001\\u0002\\u0000
            """)
    void leavesEverythingElseToPekkoHttp(String name, String escaped) {
        String bytes = escaped.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0016", "\u0016")
                .replace("\\u0003", "\u0003").replace("\\u0001", "\u0001").replace("\\u0002", "\u0002")
                .replace("\\u0000", "\u0000");
        HttpFlvRequestSniffer sniffer = new HttpFlvRequestSniffer();
        assertEquals(HttpFlvRequestSniffer.State.OTHER, sniffer.offer(ascii(bytes)), name);
        assertEquals(ascii(bytes), sniffer.received(), "what was read goes on to Pekko HTTP");
        assertTrue(sniffer.request().isEmpty());
    }

    @Test
    void aHeadOverTheLimitIsPekkoHttpsToRefuse() {
        HttpFlvRequestSniffer sniffer = new HttpFlvRequestSniffer();
        assertEquals(HttpFlvRequestSniffer.State.NEED_MORE,
                sniffer.offer(ascii("GET /live/cam1.flv HTTP/1.1\r\nCookie: ")));
        assertEquals(HttpFlvRequestSniffer.State.OTHER,
                sniffer.offer(ascii("a".repeat(HttpFlvRequestSniffer.MAX_HEAD_BYTES))));
    }

    @Test
    void anEndlessRequestLineIsPekkoHttpsToRefuse() {
        HttpFlvRequestSniffer sniffer = new HttpFlvRequestSniffer();
        assertEquals(HttpFlvRequestSniffer.State.NEED_MORE, sniffer.offer(ascii("GET /")));
        assertEquals(HttpFlvRequestSniffer.State.OTHER,
                sniffer.offer(ascii("x".repeat(HttpFlvRequestSniffer.MAX_HEAD_BYTES))));
    }
}
