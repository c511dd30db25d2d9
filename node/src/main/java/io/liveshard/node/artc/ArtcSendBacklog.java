package io.liveshard.node.artc;

import java.net.InetSocketAddress;

/**
 * Datagrams the kernel refused because the socket's send buffer was full, kept in order until the socket is
 * writable again. Bounded: when it is full, further datagrams are dropped (the viewers' NACKs ask for lost video
 * again). Slots are allocated once, so a congested socket costs a copy per refused datagram and nothing else.
 */
final class ArtcSendBacklog {

    private final byte[][] slots;
    private final int[] lengths;
    private final InetSocketAddress[] targets;
    private int head;
    private int size;

    ArtcSendBacklog(int capacity, int datagramBytes) {
        this.slots = new byte[capacity][datagramBytes];
        this.lengths = new int[capacity];
        this.targets = new InetSocketAddress[capacity];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** False when the backlog is full and the datagram was not kept. */
    boolean add(byte[] bytes, int offset, int length, InetSocketAddress to) {
        if (size == slots.length || length > slots[0].length) {
            return false;
        }
        int tail = (head + size) % slots.length;
        System.arraycopy(bytes, offset, slots[tail], 0, length);
        lengths[tail] = length;
        targets[tail] = to;
        size++;
        return true;
    }

    byte[] firstBytes() {
        return slots[head];
    }

    int firstLength() {
        return lengths[head];
    }

    InetSocketAddress firstTarget() {
        return targets[head];
    }

    void removeFirst() {
        targets[head] = null;
        head = (head + 1) % slots.length;
        size--;
    }
}
