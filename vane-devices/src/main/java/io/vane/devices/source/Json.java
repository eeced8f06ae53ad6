package io.vane.devices.source;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes the small JSON documents device sources publish, from maps, lists, strings, numbers,
 * booleans and instants (as ISO-8601 UTC). Map order is kept, so payloads read the way they were
 * built. Reads back only flat objects of its own making ({@link #flatObject}).
 */
public final class Json {
    private Json() {
    }

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Instant t) {
            quote(out, t.toString());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(out, String.valueOf(e.getKey()));
                out.append(':');
                append(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, list.get(i));
            }
            out.append(']');
        } else {
            quote(out, value.toString());
        }
    }

    private static final java.util.regex.Pattern MEMBER = java.util.regex.Pattern.compile(
            "\"([A-Za-z0-9_]+)\"\\s*:\\s*(null|\"([^\"\\\\]*)\"|[-+0-9.eE]+|true|false)");

    /**
     * The members of a flat JSON object whose strings hold no escapes (what this class writes for
     * small state such as a day's starting counters), as texts; null values as "null".
     */
    public static Map<String, String> flatObject(String json) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = MEMBER.matcher(json);
        while (m.find()) {
            out.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return out;
    }

    /** Appends {@code s} as a JSON string, escaping quotes, backslashes and control characters. */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
