package io.liveshard.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.node.http.HttpResponses;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** JSON answers of the API, readable from any origin. */
final class ApiJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiJson() {}

    static HttpResponse ok(Object value) {
        try {
            return HttpResponses.withCors(HttpResponse.create()
                    .withStatus(StatusCodes.OK)
                    .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(value)));
        } catch (JsonProcessingException e) {
            return HttpResponses.text(StatusCodes.INTERNAL_SERVER_ERROR, "could not write JSON: " + e.getMessage());
        }
    }

    /** {@code value} as JSON; the API's records always serialize, so a failure is a bug and thrown unchecked. */
    static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON: " + e.getMessage(), e);
        }
    }
}
