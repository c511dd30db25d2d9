package io.liveshard.node.artc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liveshard.protocol.sdp.SdpCandidate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArtcCandidatesTest {

    /** A DNS of the test's own: names map to addresses, or do not resolve. */
    private final Map<String, List<String>> dns = new HashMap<>();
    private int lookups;

    private InetAddress[] resolve(String name) throws UnknownHostException {
        lookups++;
        List<String> addresses = dns.get(name);
        if (addresses == null) {
            throw new UnknownHostException(name + ": Name or service not known");
        }
        InetAddress[] resolved = new InetAddress[addresses.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = InetAddress.getByName(addresses.get(i));
        }
        return resolved;
    }

    private static List<String> addresses(ArtcCandidates candidates) {
        return candidates.current().stream().map(SdpCandidate::address).toList();
    }

    @Test
    void addressesAreAnnouncedAsTheyAreAndNeverLookedUp() {
        ArtcCandidates candidates = new ArtcCandidates(List.of("203.0.113.7", "2001:db8::1", "127.0.0.1"), 8000,
                false, this::resolve);
        assertEquals(List.of("203.0.113.7", "2001:db8::1", "127.0.0.1"), addresses(candidates));
        assertEquals(8000, candidates.current().get(0).port());
        assertEquals(0, lookups);
    }

    @Test
    void aNameIsAnnouncedAsItsAddressesOfTheSocketsFamily() {
        dns.put("stream.example.com", List.of("203.0.113.7", "2001:db8::7", "198.51.100.7"));
        ArtcCandidates ipv4 = new ArtcCandidates(List.of("stream.example.com", "127.0.0.1"), 8000, false,
                this::resolve);
        assertEquals(List.of("203.0.113.7", "198.51.100.7", "127.0.0.1"), addresses(ipv4));
        ArtcCandidates dualStack = new ArtcCandidates(List.of("stream.example.com"), 8000, true, this::resolve);
        assertEquals(List.of("203.0.113.7", "2001:db8:0:0:0:0:0:7", "198.51.100.7"), addresses(dualStack));
    }

    @Test
    void anAddressNamedTwiceIsAnnouncedOnce() {
        dns.put("a.example.com", List.of("203.0.113.7"));
        ArtcCandidates candidates = new ArtcCandidates(List.of("a.example.com", "203.0.113.7"), 8000, false,
                this::resolve);
        assertEquals(List.of("203.0.113.7"), addresses(candidates));
    }

    @Test
    void aNameThatDoesNotResolveYetIsAnnouncedOnceItDoes() {
        ArtcCandidates candidates = new ArtcCandidates(List.of("late.example.com"), 8000, false, this::resolve);
        assertEquals(List.of(), addresses(candidates), "nothing to announce: WHEP answers 503 meanwhile");
        dns.put("late.example.com", List.of("203.0.113.9"));
        candidates.refresh();
        assertEquals(List.of("203.0.113.9"), addresses(candidates));
    }

    @Test
    void aNameThatMovesIsFollowedAndOneThatStopsResolvingKeepsItsLastAddresses() {
        dns.put("edge.example.com", List.of("203.0.113.1"));
        ArtcCandidates candidates = new ArtcCandidates(List.of("edge.example.com", "127.0.0.1"), 8000, false,
                this::resolve);
        dns.put("edge.example.com", List.of("203.0.113.2"));
        candidates.refresh();
        assertEquals(List.of("203.0.113.2", "127.0.0.1"), addresses(candidates));
        dns.remove("edge.example.com");
        candidates.refresh();
        assertEquals(List.of("203.0.113.2", "127.0.0.1"), addresses(candidates));
    }

    @Test
    void aNameWithOnlyIpv6AddressesIsNotAnnouncedOnAnIpv4Socket() {
        dns.put("v6only.example.com", List.of("2001:db8::5"));
        ArtcCandidates candidates = new ArtcCandidates(List.of("v6only.example.com", "127.0.0.1"), 8000, false,
                this::resolve);
        assertEquals(List.of("127.0.0.1"), addresses(candidates));
    }
}
