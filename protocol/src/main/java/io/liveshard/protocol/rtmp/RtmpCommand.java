package io.liveshard.protocol.rtmp;

import io.liveshard.protocol.amf.Amf0Decoder;
import io.liveshard.protocol.amf.Amf0Exception;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An RTMP command message (Adobe RTMP specification 1.0, section 7.1.1, https://rtmp.veriskope.com/docs/spec/):
 * a command name, a transaction id, a command object and optional arguments, all AMF0.
 *
 * @param name          the command name, e.g. {@code connect}
 * @param transactionId the id a {@code _result} or {@code _error} reply repeats
 * @param commandObject the command object: a map for {@code connect}, usually {@code null} otherwise
 * @param arguments     what follows the command object, e.g. the stream name of {@code publish}
 */
record RtmpCommand(String name, double transactionId, Object commandObject, List<Object> arguments) {

    /**
     * Parses a command payload. An AMF3 command message (type 17) starts with one format byte before AMF0 values;
     * that is what every client sends there, so {@code offset} 1 skips it.
     */
    static RtmpCommand parse(byte[] payload, int offset, int maxDepth) throws Amf0Exception {
        List<Object> values = Amf0Decoder.decodeAll(payload, offset, payload.length - offset, maxDepth);
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new Amf0Exception("command message does not start with a command name");
        }
        double transactionId = values.size() > 1 && values.get(1) instanceof Double id ? id : 0;
        Object commandObject = values.size() > 2 ? values.get(2) : null;
        List<Object> arguments = values.size() > 3 ? values.subList(3, values.size()) : List.of();
        return new RtmpCommand(name, transactionId, commandObject, arguments);
    }

    Optional<String> stringArgument(int index) {
        return index < arguments.size() && arguments.get(index) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    Optional<Double> numberArgument(int index) {
        return index < arguments.size() && arguments.get(index) instanceof Double d ? Optional.of(d) : Optional.empty();
    }

    /** A string property of the command object, empty when absent or not a string. */
    Optional<String> stringProperty(String key) {
        return commandObject instanceof Map<?, ?> map && map.get(key) instanceof String s
                ? Optional.of(s) : Optional.empty();
    }

    Optional<Double> numberProperty(String key) {
        return commandObject instanceof Map<?, ?> map && map.get(key) instanceof Double d
                ? Optional.of(d) : Optional.empty();
    }
}
