package io.liveshard.node.artc;

import io.liveshard.protocol.sdp.SdpCandidate;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host candidates a WHEP answer announces: {@code liveshard.artc.candidates} (or this machine's addresses), with
 * host names resolved by the node. Answers carry addresses, never names: every WebRTC client can use an address,
 * while a name in a candidate is resolved by some browsers and refused by other clients.
 *
 * <p>Names are resolved when the node starts and again on each {@link #refresh} (a DNS name behind a NAT or a
 * container platform may move), off the request path: an answer reads the latest result and never waits on DNS. A
 * name that stops resolving keeps its last addresses; one that has never resolved is announced once it does. Only
 * the socket's family is announced for a name: an IPv4 socket cannot answer a viewer that reached it over IPv6.
 */
final class ArtcCandidates {

    private static final Logger log = LoggerFactory.getLogger(ArtcCandidates.class);

    private final List<String> configured;
    private final int port;
    private final boolean ipv6Socket;
    private final Resolver resolver;
    /** The latest addresses of each configured name (a literal is its own); a name not resolved yet is absent. */
    private final Map<String, List<String>> resolved = new LinkedHashMap<>();
    private volatile List<SdpCandidate> current = List.of();

    /** Looks a name up; {@link InetAddress#getAllByName} in the node, a table in tests. */
    interface Resolver {
        InetAddress[] resolve(String name) throws UnknownHostException;
    }

    ArtcCandidates(List<String> configured, int port, boolean ipv6Socket, Resolver resolver) {
        this.configured = List.copyOf(configured);
        this.port = port;
        this.ipv6Socket = ipv6Socket;
        this.resolver = resolver;
        refresh();
    }

    /** The candidates to announce now: empty only while none of the configured names has ever resolved. */
    List<SdpCandidate> current() {
        return current;
    }

    /** Resolves the configured names again; blocks on DNS, so never on a request's or an actor's thread. */
    synchronized void refresh() {
        for (String entry : configured) {
            if (SdpCandidate.isAddressLiteral(entry)) {
                resolved.put(entry, List.of(entry));
                continue;
            }
            List<String> addresses = lookUp(entry);
            List<String> before = resolved.get(entry);
            if (addresses.isEmpty()) {
                continue;
            }
            if (!addresses.equals(before)) {
                log.info("artc: candidate {} is {}", entry, String.join(", ", addresses));
            }
            resolved.put(entry, addresses);
        }
        Set<String> all = new LinkedHashSet<>();
        for (String entry : configured) {
            all.addAll(resolved.getOrDefault(entry, List.of()));
        }
        List<SdpCandidate> candidates = new ArrayList<>();
        for (String address : all) {
            candidates.add(new SdpCandidate(address, port));
        }
        current = List.copyOf(candidates);
    }

    private List<String> lookUp(String name) {
        try {
            List<String> addresses = new ArrayList<>();
            for (InetAddress address : resolver.resolve(name)) {
                if (ipv6Socket || address instanceof Inet4Address) {
                    addresses.add(address.getHostAddress());
                }
            }
            if (addresses.isEmpty() && !resolved.containsKey(name)) {
                log.warn("artc: candidate {} has no IPv4 address for the node's IPv4 socket (liveshard.artc"
                        + ".bind-address); not announced", name);
            }
            return addresses;
        } catch (UnknownHostException | SecurityException e) {
            if (resolved.containsKey(name)) {
                log.warn("artc: candidate {} no longer resolves ({}); its last addresses are still announced", name,
                        e.getMessage());
            } else {
                log.warn("artc: candidate {} does not resolve ({}); not announced until it does", name,
                        e.getMessage());
            }
            return List.of();
        }
    }
}
