package io.liveshard.protocol.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Line-by-line SDP parser (RFC 8866 section 5 and 9). A state machine over the section being read: the session
 * part (v=, o=, s= in that order first, then t=, c=, a= ...) and then one part per m= line. Every malformed line
 * ends the parse with an {@link SdpException} naming the line.
 */
final class SdpParser {

    private enum State { EXPECT_VERSION, EXPECT_ORIGIN, EXPECT_SESSION_NAME, SESSION, MEDIA }

    /** RFC 8866 section 9: the type letters of the session part; k= is obsolete but still legal (section 5.12). */
    private static final String SESSION_TYPES = "vosiuepcbtrzka";

    /** RFC 8866 section 9: the type letters allowed inside a media description. */
    private static final String MEDIA_TYPES = "icbka";

    /** RFC 8839 section 5.4: ice-char is ALPHA / DIGIT / "+" / "/"; ufrag 4..256, pwd 22..256. */
    private static final Pattern ICE_UFRAG = Pattern.compile("[A-Za-z0-9+/]{4,256}");
    private static final Pattern ICE_PWD = Pattern.compile("[A-Za-z0-9+/]{22,256}");

    /** RFC 8866 section 9: token characters, used by mid (RFC 8843 section 9.1) and encoding names. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+");

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private final SdpLimits limits;
    private State state = State.EXPECT_VERSION;
    private int lineNumber;

    private String originUsername;
    private String sessionId;
    private String sessionName;
    private boolean timing;
    private final List<String> bundleMids = new ArrayList<>();
    private boolean iceLite;
    private final SdpTransportAttributes sessionTransport = new SdpTransportAttributes();
    private final List<MediaBuilder> media = new ArrayList<>();

    SdpParser(SdpLimits limits) {
        this.limits = limits;
    }

    SdpSession parse(String text) throws SdpException {
        if (text.length() > limits.maxLength()) {
            throw new SdpException("SDP of " + text.length() + " characters exceeds the limit of "
                    + limits.maxLength());
        }
        String[] lines = text.split("\r?\n", -1);
        int count = lines.length;
        while (count > 0 && lines[count - 1].isEmpty()) {
            count--;
        }
        if (count > limits.maxLines()) {
            throw new SdpException("SDP has " + count + " lines, more than " + limits.maxLines());
        }
        for (int i = 0; i < count; i++) {
            lineNumber = i + 1;
            parseLine(lines[i]);
        }
        if (state != State.SESSION && state != State.MEDIA) {
            throw new SdpException("SDP ends before the v=, o= and s= lines");
        }
        if (!timing) {
            throw new SdpException("SDP has no t= line");
        }
        if (media.isEmpty()) {
            throw new SdpException("SDP has no media sections (m=)");
        }
        List<SdpMedia> built = new ArrayList<>();
        for (MediaBuilder builder : media) {
            built.add(builder.build(sessionTransport));
        }
        return new SdpSession(originUsername, sessionId, sessionName, bundleMids, iceLite, built);
    }

    private void parseLine(String line) throws SdpException {
        if (line.length() > limits.maxLineLength()) {
            throw error("is " + line.length() + " characters long, more than " + limits.maxLineLength());
        }
        if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
            throw error("is not <type>=<value>: '" + abbreviate(line) + "'");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw error("contains control character 0x" + Integer.toHexString(c));
            }
        }
        char type = line.charAt(0);
        String value = line.substring(2);
        switch (state) {
            case EXPECT_VERSION -> {
                expect(type, 'v');
                if (!value.equals("0")) {
                    throw error("has SDP version '" + abbreviate(value) + "', only 0 exists");
                }
                state = State.EXPECT_ORIGIN;
            }
            case EXPECT_ORIGIN -> {
                expect(type, 'o');
                parseOrigin(value);
                state = State.EXPECT_SESSION_NAME;
            }
            case EXPECT_SESSION_NAME -> {
                expect(type, 's');
                sessionName = value;
                state = State.SESSION;
            }
            case SESSION -> sessionLine(type, value);
            case MEDIA -> mediaLine(type, value);
        }
    }

    private void sessionLine(char type, String value) throws SdpException {
        if (SESSION_TYPES.indexOf(type) < 0 && type != 'm') {
            throw error("has unknown type '" + type + "='");
        }
        switch (type) {
            case 'v', 'o', 's' -> throw error("repeats '" + type + "='");
            case 't' -> {
                requireFields(value, 2, "t=<start-time> <stop-time>");
                timing = true;
            }
            case 'c' -> requireFields(value, 3, "c=<nettype> <addrtype> <connection-address>");
            case 'm' -> startMedia(value);
            case 'a' -> sessionAttribute(value);
            default -> {
                // i=, u=, e=, p=, b=, r=, z=, k= carry nothing a WebRTC server uses.
            }
        }
    }

    private void mediaLine(char type, String value) throws SdpException {
        if (type == 'm') {
            startMedia(value);
            return;
        }
        if (MEDIA_TYPES.indexOf(type) < 0) {
            throw error(SESSION_TYPES.indexOf(type) >= 0
                    ? "has session-level '" + type + "=' inside a media section"
                    : "has unknown type '" + type + "='");
        }
        MediaBuilder current = media.get(media.size() - 1);
        if (type == 'c') {
            requireFields(value, 3, "c=<nettype> <addrtype> <connection-address>");
        } else if (type == 'a') {
            current.attribute(this, value);
        }
    }

    private void parseOrigin(String value) throws SdpException {
        String[] fields = requireFields(value, 6,
                "o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>");
        originUsername = fields[0];
        sessionId = fields[1];
    }

    private void startMedia(String value) throws SdpException {
        if (media.size() == limits.maxMediaSections()) {
            throw error("starts media section " + (media.size() + 1) + ", more than " + limits.maxMediaSections());
        }
        String[] fields = value.split(" ", -1);
        if (fields.length < 4) {
            throw error("is not m=<media> <port> <proto> <fmt> ...");
        }
        String portField = fields[1];
        int slash = portField.indexOf('/');
        String portText = slash >= 0 ? portField.substring(0, slash) : portField;
        int port = number(portText, 0, 65535, "port");
        if (slash >= 0) {
            number(portField.substring(slash + 1), 1, 65535, "port count");
        }
        String kind = token(fields[0], "media type");
        String protocol = fields[2];
        List<String> formats = List.of(fields).subList(3, fields.length);
        if (SdpMedia.isRtp(protocol)) {
            for (String format : formats) {
                number(format, 0, SdpPayloadType.MAX_PAYLOAD_TYPE, "payload type");
            }
        } else {
            for (String format : formats) {
                token(format, "format");
            }
        }
        media.add(new MediaBuilder(media.size(), kind, port, protocol, formats));
        state = State.MEDIA;
    }

    private void sessionAttribute(String value) throws SdpException {
        String name = attributeName(value);
        String argument = attributeValue(value);
        switch (name) {
            case "group" -> {
                String[] fields = argument.split(" ", -1);
                if (fields[0].equals("BUNDLE") && bundleMids.isEmpty()) {
                    for (int i = 1; i < fields.length; i++) {
                        bundleMids.add(token(fields[i], "BUNDLE mid"));
                    }
                }
            }
            case "ice-lite" -> iceLite = true;
            // Other session attributes (msid-semantic, extmap-allow-mixed, ice-options ...) change nothing for a
            // WHEP server; the transport reader skips them.
            default -> sessionTransport.attribute(this, name, argument);
        }
    }

    String[] requireFields(String value, int count, String syntax) throws SdpException {
        String[] fields = value.split(" ", -1);
        if (fields.length != count) {
            throw error("is not " + syntax);
        }
        for (String field : fields) {
            if (field.isEmpty()) {
                throw error("has an empty field; expected " + syntax);
            }
        }
        return fields;
    }

    int number(String text, int min, int max, String what) throws SdpException {
        if (!DIGITS.matcher(text).matches()) {
            throw error("has " + what + " '" + abbreviate(text) + "', not a number of 1..9 digits");
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            throw error("has " + what + " " + value + " out of range " + min + ".." + max);
        }
        return value;
    }

    String token(String text, String what) throws SdpException {
        if (!TOKEN.matcher(text).matches()) {
            throw error("has " + what + " '" + abbreviate(text) + "', not a token");
        }
        return text;
    }

    String iceUfrag(String text) throws SdpException {
        if (!ICE_UFRAG.matcher(text).matches()) {
            throw error("has ice-ufrag that is not 4..256 ice-chars (RFC 8839 section 5.4)");
        }
        return text;
    }

    String icePwd(String text) throws SdpException {
        if (!ICE_PWD.matcher(text).matches()) {
            throw error("has ice-pwd that is not 22..256 ice-chars (RFC 8839 section 5.4)");
        }
        return text;
    }

    SdpException error(String what) {
        return new SdpException("SDP line " + lineNumber + " " + what);
    }

    private void expect(char type, char expected) throws SdpException {
        if (type != expected) {
            throw error("is '" + type + "=' where RFC 8866 section 5 requires '" + expected + "='");
        }
    }

    static String attributeName(String value) {
        int colon = value.indexOf(':');
        return colon >= 0 ? value.substring(0, colon) : value;
    }

    static String attributeValue(String value) {
        int colon = value.indexOf(':');
        return colon >= 0 ? value.substring(colon + 1) : "";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** One m= section while its lines are read. */
    private static final class MediaBuilder {
        private final int index;
        private final String kind;
        private final int port;
        private final String protocol;
        private final List<String> formats;
        private final SdpTransportAttributes transport = new SdpTransportAttributes();
        private final Map<Integer, String[]> rtpmaps = new LinkedHashMap<>();
        private final Map<Integer, String> fmtps = new LinkedHashMap<>();
        private final List<String[]> feedback = new ArrayList<>();
        private final List<SdpExtmap> extmaps = new ArrayList<>();
        private Optional<String> mid = Optional.empty();
        private boolean rtcpMux;

        MediaBuilder(int index, String kind, int port, String protocol, List<String> formats) {
            this.index = index;
            this.kind = kind;
            this.port = port;
            this.protocol = protocol;
            this.formats = formats;
        }

        void attribute(SdpParser parser, String value) throws SdpException {
            String name = attributeName(value);
            String argument = attributeValue(value);
            switch (name) {
                case "mid" -> {
                    if (mid.isPresent()) {
                        throw parser.error("repeats a=mid");
                    }
                    mid = Optional.of(parser.token(argument, "mid"));
                }
                case "rtcp-mux" -> rtcpMux = true;
                case "rtpmap" -> rtpmap(parser, argument);
                case "fmtp" -> fmtp(parser, argument);
                case "rtcp-fb" -> rtcpFeedback(parser, argument);
                case "extmap" -> extmap(parser, argument);
                // ssrc, ssrc-group, msid, candidate, rtcp, rtcp-rsize, ice-options ...: nothing to negotiate for a
                // server that picks its own SSRCs and is ICE-lite; the transport reader skips them.
                default -> transport.attribute(parser, name, argument);
            }
        }

        private void rtpmap(SdpParser parser, String argument) throws SdpException {
            int space = argument.indexOf(' ');
            String[] encoding = space < 0 ? new String[0] : argument.substring(space + 1).split("/", -1);
            if (space < 0 || encoding.length < 2 || encoding.length > 3) {
                throw parser.error("is not a=rtpmap:<payload type> <encoding name>/<clock rate>[/<parameters>]");
            }
            int payloadType = parser.number(argument.substring(0, space), 0, SdpPayloadType.MAX_PAYLOAD_TYPE,
                    "rtpmap payload type");
            parser.token(encoding[0], "encoding name");
            parser.number(encoding[1], 1, 100_000_000, "clock rate");
            if (encoding.length == 3) {
                parser.number(encoding[2], 1, 255, "channel count");
            }
            if (rtpmaps.put(payloadType, encoding) != null) {
                throw parser.error("repeats a=rtpmap for payload type " + payloadType);
            }
        }

        private void fmtp(SdpParser parser, String argument) throws SdpException {
            int space = argument.indexOf(' ');
            if (space < 0) {
                throw parser.error("is not a=fmtp:<format> <parameters>");
            }
            String format = argument.substring(0, space);
            if (!SdpMedia.isRtp(protocol)) {
                return;
            }
            int payloadType = parser.number(format, 0, SdpPayloadType.MAX_PAYLOAD_TYPE, "fmtp payload type");
            if (fmtps.put(payloadType, argument.substring(space + 1).trim()) != null) {
                throw parser.error("repeats a=fmtp for payload type " + payloadType);
            }
        }

        private void rtcpFeedback(SdpParser parser, String argument) throws SdpException {
            int space = argument.indexOf(' ');
            if (space < 0 || argument.substring(space + 1).isBlank()) {
                throw parser.error("is not a=rtcp-fb:<payload type|*> <feedback>");
            }
            String target = argument.substring(0, space);
            if (!target.equals("*")) {
                parser.number(target, 0, SdpPayloadType.MAX_PAYLOAD_TYPE, "rtcp-fb payload type");
            }
            feedback.add(new String[] {target, argument.substring(space + 1).trim().replaceAll(" +", " ")});
        }

        private void extmap(SdpParser parser, String argument) throws SdpException {
            String[] fields = argument.split(" ", -1);
            if (fields.length < 2) {
                throw parser.error("is not a=extmap:<id>[/<direction>] <uri>");
            }
            String idText = fields[0];
            int slash = idText.indexOf('/');
            if (slash >= 0) {
                String direction = idText.substring(slash + 1);
                if (SdpDirection.fromToken(direction).isEmpty()) {
                    throw parser.error("has extmap direction '" + direction + "'");
                }
                idText = idText.substring(0, slash);
            }
            int id = parser.number(idText, 1, SdpExtmap.MAX_ID, "extmap id");
            extmaps.add(new SdpExtmap(id, fields[1]));
        }

        SdpMedia build(SdpTransportAttributes session) {
            List<SdpPayloadType> payloadTypes = new ArrayList<>();
            if (SdpMedia.isRtp(protocol)) {
                for (String format : formats) {
                    payloadTypes.add(payloadType(Integer.parseInt(format)));
                }
            }
            return new SdpMedia(index, kind, port, protocol, formats, payloadTypes, mid,
                    transport.direction.or(() -> session.direction).orElse(SdpDirection.SENDRECV), rtcpMux,
                    transport.iceUfrag.or(() -> session.iceUfrag), transport.icePwd.or(() -> session.icePwd),
                    transport.fingerprints.isEmpty() ? session.fingerprints : transport.fingerprints,
                    transport.setup.or(() -> session.setup), extmaps);
        }

        private SdpPayloadType payloadType(int payloadType) {
            String[] encoding = rtpmaps.get(payloadType);
            String fmtp = fmtps.getOrDefault(payloadType, "");
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String piece : fmtp.split(";")) {
                int equals = piece.indexOf('=');
                if (equals > 0) {
                    parameters.putIfAbsent(piece.substring(0, equals).trim().toLowerCase(Locale.ROOT),
                            piece.substring(equals + 1).trim());
                }
            }
            List<String> rtcpFeedback = new ArrayList<>();
            for (String[] entry : feedback) {
                if (entry[0].equals("*") || entry[0].equals(Integer.toString(payloadType))) {
                    rtcpFeedback.add(entry[1]);
                }
            }
            return new SdpPayloadType(payloadType, encoding == null ? "" : encoding[0],
                    encoding == null ? 0 : Integer.parseInt(encoding[1]),
                    encoding == null || encoding.length < 3 ? 1 : Integer.parseInt(encoding[2]),
                    fmtp, parameters, rtcpFeedback);
        }
    }
}
