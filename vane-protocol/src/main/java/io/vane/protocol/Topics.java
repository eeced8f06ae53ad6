package io.vane.protocol;
/** TEMPORARY stub; replaced by the codec branch. */
public final class Topics {
    public record SharedFilter(String group, String filter) {}
    public static boolean isShared(String f) { return f.startsWith("$share/"); }
    public static SharedFilter parseShared(String f) { int i = f.indexOf('/', 7); if (i < 8) return null; return new SharedFilter(f.substring(7, i), f.substring(i + 1)); }
    public static String validateTopicFilter(String f) { return f.isEmpty() ? "empty" : null; }
}
