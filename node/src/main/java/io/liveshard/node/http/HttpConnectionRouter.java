package io.liveshard.node.http;

import io.liveshard.node.flv.HttpFlvHandler;
import io.liveshard.node.net.TcpConnection;
import io.liveshard.node.net.TcpConnectionStage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts each plain-HTTP connection of the node's HTTP port. A connection whose first request plays HTTP-FLV is
 * served by the node itself from the socket's event loop (the response is endless and alone on its connection, and
 * this way no frame costs an actor message); every other connection runs Pekko HTTP's server layer over the
 * socket, exactly as Pekko HTTP's own binding would. HTTP-FLV requests that come later on a kept-alive connection
 * are served through Pekko HTTP too, only less cheaply.
 */
final class HttpConnectionRouter implements Consumer<TcpConnection> {

    private static final Logger log = LoggerFactory.getLogger(HttpConnectionRouter.class);

    private final ActorSystem<?> system;
    private final Materializer materializer;
    private final ServerSettings settings;
    private final LoggingAdapter pekkoLog;
    /** What every request is answered with; the connection is there when the node may play on it directly. */
    private final BiFunction<HttpRequest, Optional<TcpConnection>, CompletionStage<HttpResponse>> handler;
    /** A connection that sends no complete request head within this time is closed, as Pekko HTTP would. */
    private final Duration idleTimeout;

    HttpConnectionRouter(ActorSystem<?> system, Materializer materializer,
                         BiFunction<HttpRequest, Optional<TcpConnection>, CompletionStage<HttpResponse>> handler) {
        this.system = system;
        this.materializer = materializer;
        this.handler = handler;
        this.settings = ServerSettings.create(system.classicSystem());
        this.pekkoLog = org.apache.pekko.event.Logging.getLogger(system.classicSystem(), HttpConnectionRouter.class);
        this.idleTimeout = system.settings().config().getDuration("pekko.http.server.idle-timeout");
    }

    @Override
    public void accept(TcpConnection connection) {
        Sniffing sniffing = new Sniffing(connection);
        connection.attach(sniffing);
        connection.requestRead();
        system.scheduler().scheduleOnce(idleTimeout, sniffing::timeOut, system.executionContext());
    }

    /** The connection's first bytes, until it is clear who serves it. Called on the connection's event loop. */
    private final class Sniffing implements TcpConnection.Listener {
        private final TcpConnection connection;
        private final HttpFlvRequestSniffer sniffer = new HttpFlvRequestSniffer();
        private volatile boolean decided;

        Sniffing(TcpConnection connection) {
            this.connection = connection;
        }

        void timeOut() {
            if (!decided) {
                log.debug("http {}: no request within {}, closing", connection.remoteAddress(), idleTimeout);
                connection.abort();
            }
        }

        @Override
        public void received(ByteString bytes) {
            if (decided) {
                // A direct HTTP-FLV connection carries nothing more from the client; reading on only tells when it
                // goes away.
                connection.requestRead();
                return;
            }
            switch (sniffer.offer(bytes)) {
                case NEED_MORE -> connection.requestRead();
                case OTHER -> {
                    decided = true;
                    runPekkoHttp(connection, sniffer.received());
                }
                case FLV_PLAY -> {
                    decided = true;
                    connection.requestRead();
                    playDirectly(connection, sniffer.request().orElseThrow());
                }
            }
        }

        @Override
        public void peerClosed() {
            decided = true;
            connection.abort();
        }

        @Override
        public void flushed() {
            // Nothing waits for it: a direct play's writes are the egress's, a refusal closes when written.
        }

        @Override
        public void closed(Throwable cause) {
            decided = true;
            if (cause != null) {
                log.debug("http {}: connection failed: {}", connection.remoteAddress(), cause.toString());
            }
        }
    }

    private void playDirectly(TcpConnection connection, HttpFlvRequestSniffer.FlvRequest flv) {
        InetSocketAddress remote = connection.remoteAddress();
        HttpRequest request;
        try {
            request = HttpRequest.GET(flv.target())
                    .addAttribute(AttributeKeys.remoteAddress, RemoteAddress.create(remote));
            for (String[] field : flv.headers()) {
                request = request.addHeader(HttpHeader.parse(field[0], field[1]));
            }
        } catch (RuntimeException e) {
            log.warn("http {}: refused, unusable request head: {}", remote, e.getMessage());
            connection.send(HttpResponseHead.complete(HttpResponses.text(StatusCodes.BAD_REQUEST,
                    "unusable request: " + e.getMessage())));
            connection.closeWhenFlushed();
            return;
        }
        CompletionStage<HttpResponse> answer;
        try {
            answer = handler.apply(request, Optional.of(connection));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> {
            if (failure != null) {
                log.error("http {}: {} failed", remote, flv.target(), failure);
                response = HttpResponses.text(StatusCodes.INTERNAL_SERVER_ERROR, "internal error");
            }
            if (response != HttpFlvHandler.PLAYING_DIRECTLY) {
                connection.send(HttpResponseHead.complete(response));
                connection.closeWhenFlushed();
            }
        });
    }

    private void runPekkoHttp(TcpConnection connection, ByteString alreadyRead) {
        Flow<ByteString, ByteString, NotUsed> socket = Flow.fromGraph(new TcpConnectionStage(connection))
                .prepend(Source.single(alreadyRead));
        Flow<HttpRequest, HttpResponse, NotUsed> answers = Flow.<HttpRequest>create()
                .mapAsync(1, request -> handler.apply(request, Optional.empty()).exceptionally(failure -> {
                    log.error("http {}: {} failed", connection.remoteAddress(), request.getUri().path(), failure);
                    return HttpResponses.text(StatusCodes.INTERNAL_SERVER_ERROR, "internal error");
                }));
        // Pekko HTTP's own binding puts its idle timeout on the TCP connection, below the server layer; so does this.
        Http.get(system).serverLayer(settings, Optional.of(connection.remoteAddress()), pekkoLog)
                .atop(plainText())
                .atop(BidiFlow.<ByteString, ByteString>bidirectionalIdleTimeout(idleTimeout))
                .join(socket)
                .join(answers)
                .run(materializer);
    }

    /**
     * The TLS layer's stand-in for plain text, typed as the server layer wants it: its inbound elements are
     * {@code SessionBytes}, which are {@code SslTlsInbound}, but Java's generics do not see that.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed>
            plainText() {
        return (BidiFlow) TLSPlacebo.getInstance();
    }
}
