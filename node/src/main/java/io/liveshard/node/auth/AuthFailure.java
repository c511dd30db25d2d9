package io.liveshard.node.auth;

/** Why a signed URL was refused: a fixed word for metrics and a line for the client and the log. */
public enum AuthFailure {
    MISSING("auth-missing", "no auth_key: this stream needs a signed URL"),
    MALFORMED("auth-malformed", "malformed auth_key: expected {expiry}-{rand}-{uid}-{md5hash}"),
    EXPIRED("auth-expired", "auth_key expired"),
    WRONG_HASH("auth-wrong-hash", "auth_key does not match this stream");

    private final String reason;
    private final String message;

    AuthFailure(String reason, String message) {
        this.reason = reason;
        this.message = message;
    }

    /** The {@code reason} label of {@code liveshard_refusals_total}. */
    public String reason() {
        return reason;
    }

    /** One line saying why, without anything from the request. */
    public String message() {
        return message;
    }
}
