package io.liveshard.protocol.sdp;

import java.util.regex.Pattern;

/**
 * A host candidate the server announces (RFC 8839 section 5.1): the address and port of its shared UDP socket, as
 * an IP literal, never a name (a name would need resolving by the peer and RFC 8839 forbids FQDNs in answers
 * unless mDNS is used).
 *
 * @param address IPv4 dotted quad or IPv6 literal
 * @param port    1..65535
 */
public record SdpCandidate(String address, int port) {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public SdpCandidate {
        if (!isAddressLiteral(address)) {
            throw new IllegalArgumentException("candidate address '" + address + "' is not an IP literal");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("candidate port " + port + " out of range 1..65535");
        }
    }

    /** Whether {@code text} is an IPv4 or IPv6 address (not a host name). */
    public static boolean isAddressLiteral(String text) {
        return IPV4.matcher(text).matches() || IPV6.matcher(text).matches();
    }
}
