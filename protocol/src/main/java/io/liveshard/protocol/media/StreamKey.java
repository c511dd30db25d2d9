package io.liveshard.protocol.media;

import java.util.Optional;

/**
 * The name of a live stream, {@code app/stream}, as it appears in every URL of every protocol
 * ({@code rtmp://host/app/stream}, {@code http://host/app/stream.flv}). It is also the stream entity's id.
 *
 * <p>Both parts are restricted to {@code [A-Za-z0-9_.-]}, 1 to {@link #MAX_PART_LENGTH} characters, and may not be
 * {@code .} or {@code ..}: names travel into file-like URL paths, logs and metric labels, so anything that could
 * traverse a path or forge a log line is refused at the door.
 */
public record StreamKey(String app, String stream) {

    /** Longest accepted app or stream name, in characters. */
    public static final int MAX_PART_LENGTH = 128;

    public StreamKey {
        Optional<String> problem = problemWith("app", app).or(() -> problemWith("stream", stream));
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    /** Parses {@code app/stream}; empty when the text is not a valid key. */
    public static Optional<StreamKey> parse(String app, String stream) {
        if (problemWith("app", app).isPresent() || problemWith("stream", stream).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new StreamKey(app, stream));
    }

    /** Why {@code app/stream} is not a valid key, or empty when it is. */
    public static Optional<String> problem(String app, String stream) {
        return problemWith("app", app).or(() -> problemWith("stream", stream));
    }

    /** Parses the entity id form {@code app/stream}. */
    public static StreamKey fromId(String id) {
        int slash = id.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("stream id without '/': " + id);
        }
        return new StreamKey(id.substring(0, slash), id.substring(slash + 1));
    }

    public String id() {
        return app + "/" + stream;
    }

    @Override
    public String toString() {
        return id();
    }

    private static Optional<String> problemWith(String what, String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of(what + " name is empty");
        }
        if (name.length() > MAX_PART_LENGTH) {
            return Optional.of(what + " name longer than " + MAX_PART_LENGTH + " characters");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of(what + " name may not be '.' or '..'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!allowed) {
                return Optional.of(what + " name has a forbidden character (code " + (int) c + ")");
            }
        }
        return Optional.empty();
    }
}
