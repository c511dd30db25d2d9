package io.liveshard.protocol.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DtlsDatagramTransportTest {

    @Test
    void offeredDatagramsAreCopiedAndReceivedInOrder() throws IOException {
        DtlsDatagramTransport transport = new DtlsDatagramTransport((buf, off, len) -> { });
        byte[] socketBuffer = {9, 1, 2, 3, 9};
        assertTrue(transport.offer(socketBuffer, 1, 3));
        socketBuffer[1] = 7;
        assertTrue(transport.offer(socketBuffer, 0, 2));
        byte[] into = new byte[10];
        assertEquals(3, transport.receive(into, 0, 10, 100));
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(into, 3));
        assertEquals(2, transport.receive(into, 0, 10, 100));
        assertArrayEquals(new byte[] {9, 7}, Arrays.copyOf(into, 2));
    }

    @Test
    void anEmptyQueueTimesOutWithMinusOne() throws IOException {
        DtlsDatagramTransport transport = new DtlsDatagramTransport((buf, off, len) -> { });
        assertEquals(-1, transport.receive(new byte[10], 0, 10, 20));
    }

    @Test
    void aFullQueueDropsAndCounts() {
        DtlsDatagramTransport transport = new DtlsDatagramTransport((buf, off, len) -> { });
        for (int i = 0; i < DtlsDatagramTransport.MAX_QUEUED_DATAGRAMS; i++) {
            assertTrue(transport.offer(new byte[1], 0, 1));
        }
        assertFalse(transport.offer(new byte[1], 0, 1));
        assertEquals(1, transport.droppedDatagrams());
    }

    @Test
    void sendsGoToTheSenderAndStopWhenClosed() throws IOException {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        DtlsDatagramTransport transport = new DtlsDatagramTransport(sent::write);
        transport.send(new byte[] {1, 2, 3, 4}, 1, 2);
        assertArrayEquals(new byte[] {2, 3}, sent.toByteArray());
        transport.close();
        assertThrows(IOException.class, () -> transport.send(new byte[1], 0, 1));
        assertThrows(IOException.class, () -> transport.receive(new byte[1], 0, 1, 10));
        assertFalse(transport.offer(new byte[1], 0, 1));
    }

    @Test
    void closingWakesAReceiveThatWaitsForAMinute() throws Exception {
        DtlsDatagramTransport transport = new DtlsDatagramTransport((buf, off, len) -> { });
        CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
            try {
                return new AssertionError("receive returned " + transport.receive(new byte[10], 0, 10, 60_000));
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(100);
        assertFalse(ended.isDone(), "receive waits while the transport is open");
        transport.close();
        Throwable outcome = ended.get(5, TimeUnit.SECONDS);
        assertTrue(outcome instanceof IOException, "closed, the receive fails at once: " + outcome);
    }
}
