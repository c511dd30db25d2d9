package io.liveshard.node.http;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/** Small builders for the node's HTTP answers: one-line text refusals, CORS headers, refusals of unread bodies. */
public final class HttpResponses {

    private HttpResponses() {}

    /**
     * {@code response} to a request that is refused without its body, once the body has been read and thrown away
     * (or after {@code timeoutMillis}). Answered while the client still sends, the connection would be closed with
     * unread data, which the kernel resets, and the client might never see the answer.
     */
    public static CompletionStage<HttpResponse> afterDiscardingBody(HttpRequest request, Materializer materializer,
                                                                    long timeoutMillis, HttpResponse response) {
        return request.discardEntityBytes(materializer).completionStage().toCompletableFuture()
                .completeOnTimeout(Done.getInstance(), timeoutMillis, TimeUnit.MILLISECONDS)
                .handle((discarded, failure) -> response);
    }

    /** A refusal or notice as one line of text/plain, with CORS so browser players can read why. */
    public static HttpResponse text(StatusCode status, String line) {
        return withCors(HttpResponse.create()
                .withStatus(status)
                .withEntity(ContentTypes.TEXT_PLAIN_UTF8, line + "\n"));
    }

    /** Lets pages on any origin read the response (players are usually embedded on the customer's site). */
    public static HttpResponse withCors(HttpResponse response) {
        return response
                .addHeader(RawHeader.create("Access-Control-Allow-Origin", "*"))
                .addHeader(RawHeader.create("Access-Control-Expose-Headers", "Location, Content-Type"));
    }

    /** The answer to a CORS preflight. */
    public static HttpResponse preflight() {
        return withCors(HttpResponse.create()
                .withStatus(204)
                .addHeader(RawHeader.create("Access-Control-Allow-Methods", "GET, POST, DELETE, PATCH, OPTIONS"))
                .addHeader(RawHeader.create("Access-Control-Allow-Headers", "Content-Type, Authorization, If-Match"))
                .addHeader(RawHeader.create("Access-Control-Max-Age", "86400")));
    }
}
