package io.vane.app.config;

import java.util.Map;

/**
 * Converts Mosquitto's log_timestamp_format (C strftime) to a {@link java.time.format.DateTimeFormatter}
 * pattern. Only the fields below are known; anything else is refused at parse time rather than
 * printed wrong at run time.
 */
public final class StrftimePattern {

    private static final Map<Character, String> FIELDS = Map.ofEntries(
            Map.entry('Y', "yyyy"), Map.entry('y', "yy"), Map.entry('m', "MM"), Map.entry('d', "dd"),
            Map.entry('e', "ppd"), Map.entry('H', "HH"), Map.entry('I', "hh"), Map.entry('M', "mm"),
            Map.entry('S', "ss"), Map.entry('p', "a"), Map.entry('j', "DDD"), Map.entry('a', "EEE"),
            Map.entry('A', "EEEE"), Map.entry('b', "MMM"), Map.entry('h', "MMM"), Map.entry('B', "MMMM"),
            Map.entry('z', "xx"), Map.entry('Z', "z"), Map.entry('F', "yyyy-MM-dd"), Map.entry('T', "HH:mm:ss"),
            Map.entry('D', "MM/dd/yy"), Map.entry('R', "HH:mm"));

    /** The strftime fields Vane understands, for messages. */
    public static final String KNOWN = "%Y %y %m %d %e %H %I %M %S %p %j %a %A %b %h %B %z %Z %F %T %D %R %%";

    private StrftimePattern() {
    }

    /**
     * @return the equivalent DateTimeFormatter pattern
     * @throws IllegalArgumentException naming the first field Vane does not know
     */
    public static String toJava(String strftime) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < strftime.length(); i++) {
            char c = strftime.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i + 1 == strftime.length()) {
                throw new IllegalArgumentException("ends with a lone '%'");
            }
            char field = strftime.charAt(++i);
            if (field == '%') {
                literal.append('%');
                continue;
            }
            String java = FIELDS.get(field);
            if (java == null) {
                throw new IllegalArgumentException("has '%" + field + "', which Vane does not know");
            }
            flush(literal, out);
            out.append(java);
        }
        flush(literal, out);
        return out.toString();
    }

    /** Literal text goes in quotes so letters are not read as pattern letters. */
    private static void flush(StringBuilder literal, StringBuilder out) {
        if (literal.length() > 0) {
            out.append('\'').append(literal.toString().replace("'", "''")).append('\'');
            literal.setLength(0);
        }
    }
}
