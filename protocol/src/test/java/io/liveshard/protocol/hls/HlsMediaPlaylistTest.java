package io.liveshard.protocol.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HlsMediaPlaylistTest {

    private static final long T0 = 1_795_000_000_000L;

    @Test
    void writesASlidingWindowWithDatesAndDurations() {
        String playlist = HlsMediaPlaylist.write(List.of(
                new HlsSegmentEntry(7, 2002, "cam1/7.ts", T0, false),
                new HlsSegmentEntry(8, 1968, "cam1/8.ts", T0 + 2002, false)), 2, 0, false);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:7
                #EXT-X-DISCONTINUITY-SEQUENCE:0
                #EXT-X-PROGRAM-DATE-TIME:2026-11-18T11:06:40.000Z
                #EXTINF:2.002,
                cam1/7.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-11-18T11:06:42.002Z
                #EXTINF:1.968,
                cam1/8.ts
                """, playlist);
    }

    @Test
    void targetDurationCoversTheLongestSegmentRounded() {
        String playlist = HlsMediaPlaylist.write(List.of(
                new HlsSegmentEntry(0, 4600, "a/0.ts", T0, false)), 2, 0, false);
        assertTrue(playlist.contains("#EXT-X-TARGETDURATION:5\n"), playlist);
    }

    @Test
    void marksDiscontinuitiesAndTheEnd() {
        String playlist = HlsMediaPlaylist.write(List.of(
                new HlsSegmentEntry(3, 2000, "a/3.ts", T0, false),
                new HlsSegmentEntry(4, 2000, "a/4.ts", T0 + 9000, true)), 2, 1, true);
        assertTrue(playlist.contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n"), playlist);
        assertTrue(playlist.contains("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME"), playlist);
        assertTrue(playlist.endsWith("a/4.ts\n#EXT-X-ENDLIST\n"), playlist);
    }

    @Test
    void anEmptyWindowIsStillAValidPlaylist() {
        String playlist = HlsMediaPlaylist.write(List.of(), 2, 0, false);
        assertTrue(playlist.startsWith("#EXTM3U\n"));
        assertTrue(playlist.contains("#EXT-X-MEDIA-SEQUENCE:0\n"));
        assertFalse(playlist.contains("#EXTINF"));
    }
}
