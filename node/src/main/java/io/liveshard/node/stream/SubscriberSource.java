package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * A subscriber's egress as a Pekko Streams source: each time downstream (the socket) can take more, it takes
 * everything queued for the subscriber and encodes it as one element. Batches therefore grow only while the socket
 * is busy, and an idle viewer is woken once per frame burst, not per frame.
 */
public final class SubscriberSource extends GraphStage<SourceShape<ByteString>> {

    private final Outlet<ByteString> out = Outlet.create("SubscriberSource.out");
    private final SubscriberQueue queue;
    private final WakeUpRelay wakeUpRelay;
    private final Function<List<MediaFrame>, ByteString> encoder;
    private final Consumer<SubscriberQueue.EndReason> onEnd;

    /**
     * @param queue       the subscriber's queue, created with {@code wakeUpRelay} as its wake-up
     * @param encoder     turns a batch of frames into bytes for the wire (per-viewer state lives in the encoder)
     * @param onEnd       called once when the source stops, with why (CANCELLED when downstream went away)
     */
    public SubscriberSource(SubscriberQueue queue, WakeUpRelay wakeUpRelay,
                            Function<List<MediaFrame>, ByteString> encoder,
                            Consumer<SubscriberQueue.EndReason> onEnd) {
        this.queue = queue;
        this.wakeUpRelay = wakeUpRelay;
        this.encoder = encoder;
        this.onEnd = onEnd;
    }

    @Override
    public SourceShape<ByteString> shape() {
        return SourceShape.of(out);
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new GraphStageLogic(shape()) {
            private final List<MediaFrame> batch = new ArrayList<>();
            private SubscriberQueue.EndReason endReason = SubscriberQueue.EndReason.CANCELLED;

            {
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        deliver();
                    }
                });
            }

            @Override
            public void preStart() {
                AsyncCallback<Boolean> wakeUp = createAsyncCallback(ignored -> deliver());
                wakeUpRelay.target(() -> wakeUp.invoke(Boolean.TRUE));
            }

            @Override
            public void postStop() {
                wakeUpRelay.target(null);
                queue.cancel();
                onEnd.accept(endReason);
            }

            private void deliver() {
                if (!isAvailable(out)) {
                    if (queue.endReason() == SubscriberQueue.EndReason.SLOW_CONSUMER) {
                        // Downstream is stuck on the viewer's full socket: abort instead of waiting for it.
                        endReason = SubscriberQueue.EndReason.SLOW_CONSUMER;
                        failStage(new SlowConsumerException(queue.subscriberId(), queue.framesDropped()));
                    }
                    return;
                }
                batch.clear();
                if (queue.drainTo(batch) > 0) {
                    push(out, encoder.apply(batch));
                    return;
                }
                SubscriberQueue.EndReason ended = queue.endReason();
                if (ended == SubscriberQueue.EndReason.SLOW_CONSUMER) {
                    endReason = ended;
                    failStage(new SlowConsumerException(queue.subscriberId(), queue.framesDropped()));
                } else if (ended != null) {
                    endReason = ended;
                    completeStage();
                }
            }
        };
    }
}
