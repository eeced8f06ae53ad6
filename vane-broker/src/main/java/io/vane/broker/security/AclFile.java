package io.vane.broker.security;

import io.vane.broker.auth.ClientIdentity;
import io.vane.broker.routing.TopicMatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mosquitto's ACL file with Mosquitto's semantics (mosquitto.conf(5), acl_file):
 * <ul>
 *   <li>{@code topic} lines before any {@code user} line apply to anonymous clients only;</li>
 *   <li>a {@code user} block applies to that user only and does not inherit the anonymous lines;</li>
 *   <li>{@code pattern} lines apply to everyone, with {@code %c} the client id and {@code %u} the user
 *       name; a {@code %u} pattern never matches an anonymous client, and client ids or user names
 *       containing {@code +} or {@code #} never match patterns;</li>
 *   <li>access is {@code read}, {@code write}, {@code readwrite} (the default) or {@code deny}; deny
 *       rules are checked first;</li>
 *   <li>a rule matches a {@code $} topic only if its own topic starts with {@code $};</li>
 *   <li>writing to {@code $SYS} is refused, except {@code $SYS/broker/connection/+/state} (bridges).</li>
 * </ul>
 */
public final class AclFile {
    static final int DENY = 0;
    static final int READ = 1;
    static final int WRITE = 2;

    /** One line: an access mask (0 = deny) and a topic (or pattern). */
    record Rule(int access, String topic) {
    }

    private final List<Rule> anonymous;
    private final Map<String, List<Rule>> users;
    private final List<Rule> patterns;

    private AclFile(List<Rule> anonymous, Map<String, List<Rule>> users, List<Rule> patterns) {
        this.anonymous = anonymous;
        this.users = users;
        this.patterns = patterns;
    }

    public static AclFile load(Path file) throws SecurityFileException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SecurityFileException(file + ": cannot read the ACL file (" + e.getMessage()
                    + "); check the path and that Vane's user may read it");
        }
        return parse(file.toString(), lines);
    }

    static AclFile parse(String name, List<String> lines) throws SecurityFileException {
        List<Rule> anonymous = new ArrayList<>();
        Map<String, List<Rule>> users = new HashMap<>();
        List<Rule> patterns = new ArrayList<>();
        List<Rule> current = anonymous;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = name + ":" + (i + 1) + ": ";
            String[] words = line.split("\\s+", 2);
            String keyword = words[0];
            String rest = words.length > 1 ? words[1].strip() : "";
            switch (keyword) {
                case "user" -> {
                    if (rest.isEmpty()) {
                        throw new SecurityFileException(where + "'user' needs a user name; write e.g. user weemqtt");
                    }
                    current = users.computeIfAbsent(rest, u -> new ArrayList<>());
                }
                case "topic", "pattern" -> {
                    Rule rule = rule(where, keyword, rest);
                    (keyword.equals("topic") ? current : patterns).add(rule);
                }
                default -> throw new SecurityFileException(where + "unknown keyword '" + keyword
                        + "'; write 'topic [read|write|readwrite|deny] TOPIC', 'pattern ...' or 'user NAME'");
            }
        }
        Map<String, List<Rule>> frozen = new HashMap<>();
        users.forEach((u, r) -> frozen.put(u, List.copyOf(r)));
        return new AclFile(List.copyOf(anonymous), Map.copyOf(frozen), List.copyOf(patterns));
    }

    private static Rule rule(String where, String keyword, String rest) throws SecurityFileException {
        if (rest.isEmpty()) {
            throw new SecurityFileException(where + "'" + keyword + "' needs a topic; write e.g. " + keyword
                    + " read weather/#");
        }
        String[] parts = rest.split("\\s+", 2);
        int access = switch (parts[0]) {
            case "read" -> READ;
            case "write" -> WRITE;
            case "readwrite" -> READ | WRITE;
            case "deny" -> DENY;
            default -> -1;
        };
        // One word is the topic itself, with readwrite access: "topic read" is the topic "read", as in Mosquitto.
        Rule rule = access < 0 || parts.length < 2 ? new Rule(READ | WRITE, rest) : new Rule(access, parts[1].strip());
        String invalid = io.vane.protocol.Topics.validateTopicFilter(rule.topic());
        if (invalid != null) {
            throw new SecurityFileException(where + "'" + rule.topic() + "' is not a valid topic filter (" + invalid
                    + "); write e.g. " + keyword + " read weather/#");
        }
        return rule;
    }

    private List<Rule> rulesFor(ClientIdentity who) {
        return who.username() == null ? anonymous : users.getOrDefault(who.username(), List.of());
    }

    /** Whether the client may publish to the topic. */
    public boolean canWrite(ClientIdentity who, String topic) {
        if (topic.startsWith("$SYS") && !TopicMatcher.matches("$SYS/broker/connection/+/state", topic)) {
            return false;
        }
        return check(who, topic, WRITE);
    }

    /** Whether a message on the topic may be delivered to the client. */
    public boolean canRead(ClientIdentity who, String topic) {
        return check(who, topic, READ);
    }

    private boolean check(ClientIdentity who, String topic, int access) {
        List<Rule> rules = rulesFor(who);
        for (Rule r : rules) {
            if (r.access == DENY && matches(r.topic, topic)) {
                return false;
            }
        }
        for (Rule r : rules) {
            if ((r.access & access) != 0 && matches(r.topic, topic)) {
                return true;
            }
        }
        if (!patternsApply(who)) {
            return false;
        }
        for (Rule p : patterns) {
            String t = expand(p.topic, who);
            if (t != null && p.access == DENY && matches(t, topic)) {
                return false;
            }
        }
        for (Rule p : patterns) {
            String t = expand(p.topic, who);
            if (t != null && (p.access & access) != 0 && matches(t, topic)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a SUBSCRIBE to the filter could ever deliver something readable: some read rule overlaps
     * the filter and no deny rule covers it whole. Delivery is still checked message by message.
     */
    public boolean canSubscribe(ClientIdentity who, String filter) {
        List<Rule> rules = new ArrayList<>(rulesFor(who));
        if (patternsApply(who)) {
            for (Rule p : patterns) {
                String t = expand(p.topic, who);
                if (t != null) {
                    rules.add(new Rule(p.access, t));
                }
            }
        }
        for (Rule r : rules) {
            if (r.access == DENY && matches(r.topic, filter)) {
                return false;
            }
        }
        for (Rule r : rules) {
            if ((r.access & READ) != 0 && overlap(r.topic, filter)) {
                return true;
            }
        }
        return false;
    }

    private static boolean patternsApply(ClientIdentity who) {
        return !hasWildcard(who.clientId()) && (who.username() == null || !hasWildcard(who.username()));
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('+') >= 0 || s.indexOf('#') >= 0 || s.indexOf('/') >= 0;
    }

    /** The pattern with %c and %u filled in; null when it names %u and the client is anonymous. */
    private static String expand(String pattern, ClientIdentity who) {
        if (pattern.contains("%u")) {
            if (who.username() == null) {
                return null;
            }
            pattern = pattern.replace("%u", who.username());
        }
        return pattern.replace("%c", who.clientId());
    }

    /** Whether some topic matches both filters; a leading wildcard never reaches a $ topic. */
    static boolean overlap(String a, String b) {
        if (a.startsWith("$") != b.startsWith("$")) {
            String plain = a.startsWith("$") ? b : a;
            if (plain.startsWith("+") || plain.startsWith("#")) {
                return false;
            }
        }
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            if (x[i].equals("#") || y[i].equals("#")) {
                return true;
            }
            if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
                return false;
            }
        }
        if (x.length == y.length) {
            return true;
        }
        // One is longer: it overlaps only if its next level is '#' (which also matches the parent).
        String[] longer = x.length > y.length ? x : y;
        return longer[n].equals("#");
    }

    /** A rule's topic matches a $ topic only if it starts with $ itself. */
    private static boolean matches(String ruleTopic, String topic) {
        if (topic.startsWith("$") && !ruleTopic.startsWith("$")) {
            return false;
        }
        return TopicMatcher.matches(ruleTopic, topic);
    }

    /** Read rules anonymous clients have, for the start-up summary. */
    List<Rule> anonymousRules() {
        return anonymous;
    }
}
