package io.liveshard.node.stream;

import io.liveshard.node.net.LoopClock;
import io.liveshard.node.net.TcpConnection;
import io.liveshard.protocol.media.MediaFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import org.apache.pekko.util.ByteString;

/**
 * A subscriber's egress straight from its socket's event loop, without Pekko Streams: whenever the socket has
 * written everything before, everything queued meanwhile is encoded as one batch. Batches therefore grow only while
 * the socket is busy. When the queue ends, or the socket closes first, the egress says why once and takes nothing
 * more; saying goodbye in the protocol is the caller's.
 */
public final class SubscriberEgress implements TcpConnection.Egress {

    private final SubscriberQueue queue;
    /** The loop clock's reading, which the queue takes only for a drain it records. */
    private final LongSupplier now;
    private final IntPredicate sampleDrain;
    private final Function<List<MediaFrame>, ByteString> encoder;
    private final Consumer<SubscriberQueue.EndReason> onEnd;
    private final List<MediaFrame> batch = new ArrayList<>();
    private boolean ended;

    /**
     * @param queue   the subscriber's queue, created with the connection's {@link TcpConnection#egressWakeUp()}
     * @param clock   the connection's {@link TcpConnection#clock()}: when a drained batch left, for its latency
     * @param encoder turns a batch of frames into bytes for the wire (per-viewer state lives in the encoder)
     * @param onEnd   told once, on the event loop, why the queue ended
     */
    public SubscriberEgress(SubscriberQueue queue, LoopClock clock, Function<List<MediaFrame>, ByteString> encoder,
                            Consumer<SubscriberQueue.EndReason> onEnd) {
        this.queue = queue;
        this.now = clock::nanos;
        this.sampleDrain = clock::sampleDrain;
        this.encoder = encoder;
        this.onEnd = onEnd;
    }

    @Override
    public ByteString poll(boolean socketBusy) {
        if (ended) {
            return null;
        }
        if (socketBusy) {
            // A full queue behind a full socket: the viewer stopped reading, so do not wait for the socket.
            if (queue.endReason() == SubscriberQueue.EndReason.SLOW_CONSUMER) {
                end(SubscriberQueue.EndReason.SLOW_CONSUMER);
            }
            return null;
        }
        batch.clear();
        if (queue.drainTo(batch, now, sampleDrain) == 0) {
            SubscriberQueue.EndReason reason = queue.endReason();
            if (reason != null) {
                end(reason);
            }
            return null;
        }
        ByteString bytes = encoder.apply(batch);
        batch.clear();
        return bytes;
    }

    @Override
    public void closed() {
        if (!ended) {
            queue.cancel();
            end(SubscriberQueue.EndReason.CANCELLED);
        }
    }

    private void end(SubscriberQueue.EndReason reason) {
        ended = true;
        onEnd.accept(reason);
    }
}
