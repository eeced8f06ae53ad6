package io.vane.broker.security;

/**
 * Strings a client chose (client ids, user names, topics) on their way into checks and log lines.
 * Control characters (C0 U+0000-U+001F, DEL U+007F, C1 U+0080-U+009F) are refused in client ids and
 * user names, as Mosquitto 2.0 does; wherever such a string is logged it goes through
 * {@link #forLog(String)}, so a newline can never start a forged line that a log parser
 * (fail2ban and the like) would act on. See docs/decisions/0008-hostile-clients.md.
 */
public final class ClientText {
    private ClientText() {
    }

    /** U+0000-U+001F, U+007F-U+009F: what Mosquitto's UTF-8 check refuses besides malformed bytes. */
    public static boolean isControl(char ch) {
        return ch <= 0x1F || (ch >= 0x7F && ch <= 0x9F);
    }

    /** Whether {@code s} holds a control character; false for null. */
    public static boolean hasControl(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code s} safe for one log line: control characters and the Unicode line and paragraph separators
     * (U+2028, U+2029, which some viewers break lines at) become {@code \n}, {@code \r}, {@code \t} or
     * {@code \xHH} / {@code \u2028}. Everything else, backslashes included, is kept as is, so ordinary
     * ids log exactly as Mosquitto logs them. Null stays null; the common case allocates nothing.
     */
    public static String forLog(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8).append(s, 0, i);
        for (; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!needsEscape(ch)) {
                b.append(ch);
            } else if (ch == '\n') {
                b.append("\\n");
            } else if (ch == '\r') {
                b.append("\\r");
            } else if (ch == '\t') {
                b.append("\\t");
            } else if (ch <= 0xFF) {
                b.append("\\x").append(Character.forDigit(ch >> 4, 16)).append(Character.forDigit(ch & 0xF, 16));
            } else {
                b.append(String.format("\\u%04x", (int) ch));
            }
        }
        return b.toString();
    }

    /** {@link #forLog(String)} of {@code o.toString()}, for log arguments that carry client text inside. */
    public static String forLog(Object o) {
        return o == null ? null : forLog(o.toString());
    }

    private static boolean needsEscape(char ch) {
        return isControl(ch) || ch == 0x2028 || ch == 0x2029;
    }
}
