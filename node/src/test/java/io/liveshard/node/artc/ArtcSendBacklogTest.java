package io.liveshard.node.artc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Datagrams the kernel refused wait in order, in a bounded backlog that copies them out of the sender's buffer. */
class ArtcSendBacklogTest {

    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 5000);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 5001);

    @Test
    void datagramsComeOutInOrderWithTheirTargets() {
        ArtcSendBacklog backlog = new ArtcSendBacklog(3, 100);
        byte[] buffer = {9, 1, 2, 3, 9};
        assertTrue(backlog.add(buffer, 1, 3, A));
        buffer[1] = 7; // the sender reuses its buffer at once: the backlog kept a copy
        assertTrue(backlog.add(buffer, 0, 2, B));
        assertEquals(2, backlog.size());
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(backlog.firstBytes(), backlog.firstLength()));
        assertEquals(A, backlog.firstTarget());
        backlog.removeFirst();
        assertArrayEquals(new byte[] {9, 7}, Arrays.copyOf(backlog.firstBytes(), backlog.firstLength()));
        assertEquals(B, backlog.firstTarget());
        backlog.removeFirst();
        assertTrue(backlog.isEmpty());
    }

    @Test
    void aFullBacklogRefusesAndWrapsAroundOnceItDrains() {
        ArtcSendBacklog backlog = new ArtcSendBacklog(2, 10);
        assertTrue(backlog.add(new byte[] {1}, 0, 1, A));
        assertTrue(backlog.add(new byte[] {2}, 0, 1, A));
        assertFalse(backlog.add(new byte[] {3}, 0, 1, A), "full");
        backlog.removeFirst();
        assertTrue(backlog.add(new byte[] {4}, 0, 1, A));
        assertEquals(2, backlog.firstBytes()[0]);
        backlog.removeFirst();
        assertEquals(4, backlog.firstBytes()[0]);
        assertFalse(backlog.add(new byte[11], 0, 11, A), "longer than a slot");
    }
}
