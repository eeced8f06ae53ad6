package io.vane.protocol;

import java.nio.charset.StandardCharsets;

/** Topic name and topic filter rules (3.1.1 and 5.0 section 4.7) and shared subscriptions (5.0 4.8.2). */
public final class Topics {
    private static final String SHARE_PREFIX = "$share/";
    private static final int MAX_BYTES = 65_535;

    private Topics() {
    }

    /** A parsed {@code $share/group/filter}. */
    public record SharedFilter(String group, String filter) {
    }

    /**
     * Null when the topic has at most {@code maxLevels} levels (0 = any number), else why not. Mosquitto
     * refuses more than 200 '/' (TOPIC_HIERARCHY_LIMIT) in names and filters; Vane makes it max_topic_levels.
     */
    public static String checkLevels(String topicOrFilter, int maxLevels) {
        if (maxLevels <= 0 || topicOrFilter.length() < maxLevels) {
            return null;
        }
        int levels = 1;
        for (int i = 0; i < topicOrFilter.length(); i++) {
            if (topicOrFilter.charAt(i) == '/' && ++levels > maxLevels) {
                return "more than " + maxLevels + " topic levels (max_topic_levels)";
            }
        }
        return null;
    }

    /** Null when the topic name is valid and has at most {@code maxLevels} levels (0 = any), else why not. */
    public static String validateTopicName(String topic, int maxLevels) {
        String invalid = validateTopicName(topic);
        return invalid != null ? invalid : checkLevels(topic, maxLevels);
    }

    /** Null when the filter is valid and has at most {@code maxLevels} levels (0 = any), else why not. */
    public static String validateTopicFilter(String filter, int maxLevels) {
        String invalid = validateTopicFilter(filter);
        return invalid != null ? invalid : checkLevels(filter, maxLevels);
    }

    /** Null when the topic name is valid, else why not. */
    public static String validateTopicName(String topic) {
        if (topic.isEmpty()) {
            return "topic name is empty [MQTT-4.7.3-1]";
        }
        if (topic.length() * 3 > MAX_BYTES && topic.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "topic name longer than 65,535 bytes [MQTT-4.7.3-3]";
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return "topic name contains a wildcard [MQTT-3.3.2-2]";
            }
            if (isControl(c)) {
                return controlCharacter("topic name", c);
            }
        }
        return null;
    }

    /**
     * U+0001..U+001F and U+007F..U+009F: MQTT says a string SHOULD NOT hold them (section 1.5.4), and
     * Mosquitto refuses them, since a newline in a topic forges log lines.
     */
    public static boolean isControl(char c) {
        return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
    }

    private static String controlCharacter(String what, char c) {
        return what + " contains the control character U+" + String.format("%04X", (int) c) + " [MQTT-1.5.4]";
    }

    /** Null when the filter is valid, else why not. */
    public static String validateTopicFilter(String filter) {
        if (filter.isEmpty()) {
            return "topic filter is empty [MQTT-4.7.3-1]";
        }
        if (filter.length() * 3 > MAX_BYTES && filter.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "topic filter longer than 65,535 bytes [MQTT-4.7.3-3]";
        }
        int n = filter.length();
        for (int i = 0; i < n; i++) {
            char c = filter.charAt(i);
            if (isControl(c)) {
                return controlCharacter("topic filter", c);
            }
            if (c == '#') {
                boolean alone = (i == 0 || filter.charAt(i - 1) == '/') && i == n - 1;
                if (!alone) {
                    return "'#' must be last and alone in its level [MQTT-4.7.1-1]";
                }
            } else if (c == '+') {
                boolean alone = (i == 0 || filter.charAt(i - 1) == '/') && (i == n - 1 || filter.charAt(i + 1) == '/');
                if (!alone) {
                    return "'+' must be alone in its level [MQTT-4.7.1-2]";
                }
            }
        }
        return null;
    }

    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    /**
     * Parses {@code $share/group/filter}; null when it is not a valid shared subscription: the group
     * must be non-empty without '/', '+' or '#' [MQTT-4.8.2-1, -2] and a filter must follow.
     */
    public static SharedFilter parseShared(String filter) {
        if (!isShared(filter)) {
            return null;
        }
        int slash = filter.indexOf('/', SHARE_PREFIX.length());
        if (slash < 0) {
            return null;
        }
        String group = filter.substring(SHARE_PREFIX.length(), slash);
        String rest = filter.substring(slash + 1);
        if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0 || rest.isEmpty()) {
            return null;
        }
        return new SharedFilter(group, rest);
    }
}
