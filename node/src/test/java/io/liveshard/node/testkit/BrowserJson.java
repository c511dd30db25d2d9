package io.liveshard.node.testkit;

/**
 * Just enough JSON for the browser protocols (Chrome DevTools, WebDriver BiDi): quoting a string for a command, and
 * picking one member out of a reply object. Values come back as their raw JSON text, so a caller walks a reply one
 * level at a time ({@code member(member(reply, "result"), "result")}) and unquotes the string it finally wants.
 */
final class BrowserJson {

    private BrowserJson() {}

    /** {@code value} as a JSON string literal. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * The raw JSON text of the member {@code key} of the object {@code objectJson}, or null when the object has no
     * such member (or {@code objectJson} is null or not an object).
     */
    static String member(String objectJson, String key) {
        if (objectJson == null) {
            return null;
        }
        int pos = skipWhitespace(objectJson, 0);
        if (pos >= objectJson.length() || objectJson.charAt(pos) != '{') {
            return null;
        }
        pos = skipWhitespace(objectJson, pos + 1);
        while (pos < objectJson.length() && objectJson.charAt(pos) == '"') {
            int keyEnd = skipValue(objectJson, pos);
            String name = unquote(objectJson.substring(pos, keyEnd));
            pos = skipWhitespace(objectJson, keyEnd);
            if (pos >= objectJson.length() || objectJson.charAt(pos) != ':') {
                throw new IllegalArgumentException("not a JSON object (no ':' after " + name + "): " + objectJson);
            }
            int valueStart = skipWhitespace(objectJson, pos + 1);
            int valueEnd = skipValue(objectJson, valueStart);
            if (name.equals(key)) {
                return objectJson.substring(valueStart, valueEnd);
            }
            pos = skipWhitespace(objectJson, valueEnd);
            if (pos < objectJson.length() && objectJson.charAt(pos) == ',') {
                pos = skipWhitespace(objectJson, pos + 1);
            }
        }
        return null;
    }

    /** The text of a JSON string literal (its raw JSON text, quotes included). */
    static String unquote(String stringJson) {
        int last = stringJson.length() - 1;
        if (stringJson.length() < 2 || stringJson.charAt(0) != '"' || stringJson.charAt(last) != '"') {
            throw new IllegalArgumentException("not a JSON string: " + stringJson);
        }
        StringBuilder out = new StringBuilder(stringJson.length());
        for (int i = 1; i < last; i++) {
            char c = stringJson.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = stringJson.charAt(++i);
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(stringJson.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(escaped);
            }
        }
        return out.toString();
    }

    private static int skipWhitespace(String json, int pos) {
        while (pos < json.length() && Character.isWhitespace(json.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    /** The index just past the value starting at {@code pos}: a string, an object, an array or a bare literal. */
    private static int skipValue(String json, int pos) {
        int depth = 0;
        boolean inString = false;
        for (int i = pos; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                if (--depth == 0) {
                    return i + 1;
                }
            } else if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
                return i;
            }
        }
        if (depth != 0 || inString) {
            throw new IllegalArgumentException("truncated JSON value at " + pos + ": " + json);
        }
        return json.length();
    }
}
