package io.liveshard.node.net;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * A {@link TcpConnection} as a Pekko Streams flow, like the flow of Pekko's own TCP: bytes pushed in are written
 * (the next is pulled once they are on the socket), bytes read come out (the next read waits for demand). The
 * protocol stage joined to it is written exactly as it would be over Pekko's TCP; only its media may bypass it
 * through {@link TcpConnection#startEgress}.
 *
 * <p>When the protocol stage completes, the connection closes after what is queued; when it fails, the connection
 * is reset.
 */
public final class TcpConnectionStage extends GraphStage<FlowShape<ByteString, ByteString>> {

    private final Inlet<ByteString> toSocket = Inlet.create("TcpConnection.toSocket");
    private final Outlet<ByteString> fromSocket = Outlet.create("TcpConnection.fromSocket");
    private final TcpConnection connection;

    public TcpConnectionStage(TcpConnection connection) {
        this.connection = connection;
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return FlowShape.of(toSocket, fromSocket);
    }

    @Override
    public GraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new GraphStageLogic(shape()) {
            private boolean socketClosed;

            {
                setHandler(toSocket, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        connection.send(grab(toSocket));
                    }

                    @Override
                    public void onUpstreamFinish() {
                        connection.closeWhenFlushed();
                        completeStage();
                    }

                    @Override
                    public void onUpstreamFailure(Throwable cause) {
                        connection.abort();
                        failStage(cause);
                    }
                });
                setHandler(fromSocket, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        connection.requestRead();
                    }

                    @Override
                    public void onDownstreamFinish(Throwable cause) {
                        // The protocol reads no more but may still write: the socket stays until it completes.
                    }
                });
            }

            @Override
            public void preStart() {
                AsyncCallback<ByteString> received = createAsyncCallback(bytes -> {
                    if (!isClosed(fromSocket)) {
                        push(fromSocket, bytes);
                    }
                });
                AsyncCallback<Boolean> peerClosed = createAsyncCallback(ignored -> complete(fromSocket));
                AsyncCallback<Boolean> flushed = createAsyncCallback(ignored -> {
                    if (!isClosed(toSocket) && !hasBeenPulled(toSocket)) {
                        pull(toSocket);
                    }
                });
                AsyncCallback<Throwable> closed = createAsyncCallback(cause -> {
                    socketClosed = true;
                    if (cause == null) {
                        completeStage();
                    } else {
                        failStage(cause);
                    }
                });
                connection.attach(new TcpConnection.Listener() {
                    @Override
                    public void received(ByteString bytes) {
                        received.invoke(bytes);
                    }

                    @Override
                    public void peerClosed() {
                        peerClosed.invoke(Boolean.TRUE);
                    }

                    @Override
                    public void flushed() {
                        flushed.invoke(Boolean.TRUE);
                    }

                    @Override
                    public void closed(Throwable cause) {
                        closed.invoke(cause);
                    }
                });
                pull(toSocket);
            }

            @Override
            public void postStop() {
                if (!socketClosed) {
                    connection.closeWhenFlushed();
                }
            }
        };
    }
}
