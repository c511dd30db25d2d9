package io.liveshard.protocol.amf;

/**
 * An AMF0 date (AMF0 spec section 2.13).
 *
 * @param epochMillis     milliseconds since 1970-01-01T00:00:00Z, as the wire's IEEE-754 double
 * @param timezoneMinutes the wire's signed 16-bit time zone field; the spec reserves it and says it should be 0
 */
public record Amf0Date(double epochMillis, int timezoneMinutes) {
}
