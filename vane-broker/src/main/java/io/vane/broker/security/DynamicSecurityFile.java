package io.vane.broker.security;

import io.vane.broker.security.DynamicSecurity.Acl;
import io.vane.broker.security.DynamicSecurity.Client;
import io.vane.broker.security.DynamicSecurity.Defaults;
import io.vane.broker.security.DynamicSecurity.Kind;
import io.vane.broker.security.DynamicSecurity.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the dynamic-security plugin's JSON file as {@code mosquitto_ctrl} and the plugin write it. A
 * reference to a role or group the file does not define, or an ACL kind Vane does not know, stops
 * start-up: skipping it could leave a client with more access than the file gives it.
 */
final class DynamicSecurityFile {
    private static final Map<String, Kind> KINDS = Map.of("publishClientSend", Kind.PUBLISH_SEND,
            "publishClientReceive", Kind.PUBLISH_RECEIVE, "subscribeLiteral", Kind.SUBSCRIBE_LITERAL,
            "subscribePattern", Kind.SUBSCRIBE_PATTERN, "unsubscribeLiteral", Kind.UNSUBSCRIBE,
            "unsubscribePattern", Kind.UNSUBSCRIBE);
    /** The plugin's default priority when a file leaves it out. */
    private static final int NO_PRIORITY = -1;
    /** Highest priority first; equal priorities keep file order (the sort is stable). */
    private static final Comparator<Map.Entry<Integer, ?>> BY_PRIORITY = (a, b) -> Integer.compare(b.getKey(), a.getKey());

    private final String name;

    private DynamicSecurityFile(String name) {
        this.name = name;
    }

    static DynamicSecurity load(Path file) throws SecurityFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SecurityFileException(file + ": cannot read the dynamic-security file (" + e.getMessage()
                    + "); check plugin_opt_config_file and that Vane's user may read it");
        }
        return parse(file.toString(), text);
    }

    static DynamicSecurity parse(String name, String text) throws SecurityFileException {
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.SyntaxError e) {
            throw new SecurityFileException(name + ": not valid JSON (" + e.getMessage() + "); the file mosquitto_ctrl"
                    + " dynsec init writes is");
        }
        return new DynamicSecurityFile(name).read(root);
    }

    private SecurityFileException problem(String what) {
        return new SecurityFileException(name + ": " + what);
    }

    private DynamicSecurity read(Object rootValue) throws SecurityFileException {
        Map<String, Object> root = object(rootValue, "the file");
        Map<String, Role> roles = new LinkedHashMap<>();
        for (Object o : list(root, "roles")) {
            Map<String, Object> r = object(o, "a role");
            String rolename = text(r, "rolename", "a role");
            roles.put(rolename, role(rolename, r));
        }
        Map<String, List<Role>> groupRoles = new HashMap<>();
        Map<String, List<Map.Entry<Integer, String>>> groupsOfClient = new HashMap<>();
        for (Object o : list(root, "groups")) {
            Map<String, Object> g = object(o, "a group");
            String groupname = text(g, "groupname", "a group");
            groupRoles.put(groupname, roleList(g, roles, "group " + groupname));
            for (Object m : list(g, "clients")) {
                Map<String, Object> member = object(m, "a member of group " + groupname);
                groupsOfClient.computeIfAbsent(text(member, "username", "a member of group " + groupname),
                        u -> new ArrayList<>()).add(Map.entry(priority(member), groupname));
            }
        }
        Map<String, Client> clients = new LinkedHashMap<>();
        for (Object o : list(root, "clients")) {
            Map<String, Object> c = object(o, "a client");
            String username = text(c, "username", "a client");
            List<Role> order = new ArrayList<>(roleList(c, roles, "client " + username));
            List<Map.Entry<Integer, String>> groups = new ArrayList<>(groupsOfClient.getOrDefault(username, List.of()));
            groups.sort(BY_PRIORITY);
            groups.forEach(g -> order.addAll(groupRoles.get(g.getValue())));
            clients.put(username, new Client(username, optionalText(c, "clientid"), bytes(c, "password", username),
                    bytes(c, "salt", username), c.get("iterations") instanceof Double d ? d.intValue() : 0,
                    Boolean.TRUE.equals(c.get("disabled")), List.copyOf(order)));
        }
        for (String member : groupsOfClient.keySet()) {
            if (!clients.containsKey(member)) {
                throw problem("a group lists client '" + member + "', which the file does not define; remove it from"
                        + " the group (mosquitto_ctrl dynsec removeGroupClient) or create the client");
            }
        }
        List<Role> anonymous = List.of();
        String anonymousGroup = optionalText(root, "anonymousGroup");
        if (anonymousGroup != null) {
            anonymous = groupRoles.get(anonymousGroup);
            if (anonymous == null) {
                throw problem("anonymousGroup '" + anonymousGroup + "' is not a group of the file; create the group"
                        + " or set anonymousGroup to one that exists");
            }
        }
        return new DynamicSecurity(name, clients, anonymous, defaults(root));
    }

    private Role role(String rolename, Map<String, Object> r) throws SecurityFileException {
        Map<Kind, List<Map.Entry<Integer, Acl>>> byKind = new EnumMap<>(Kind.class);
        for (Object o : list(r, "acls")) {
            Map<String, Object> a = object(o, "an ACL of role " + rolename);
            String type = text(a, "acltype", "an ACL of role " + rolename);
            Kind kind = KINDS.get(type);
            if (kind == null) {
                throw problem("role " + rolename + " has an ACL of type '" + type + "', which Vane does not know;"
                        + " write one of " + String.join(", ", new java.util.TreeSet<>(KINDS.keySet())));
            }
            String topic = text(a, "topic", "an ACL of role " + rolename);
            String invalid = io.vane.protocol.Topics.validateTopicFilter(topic);
            if (invalid != null) {
                throw problem("role " + rolename + " has an ACL for '" + topic + "', which is not a valid topic"
                        + " filter (" + invalid + "); correct it with mosquitto_ctrl dynsec addRoleACL");
            }
            int priority = priority(a);
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(Map.entry(priority,
                    new Acl(kind, topic, Boolean.TRUE.equals(a.get("allow")), priority)));
        }
        Map<Kind, List<Acl>> acls = new EnumMap<>(Kind.class);
        byKind.forEach((k, list) -> {
            list.sort(BY_PRIORITY);
            acls.put(k, list.stream().map(Map.Entry::getValue).toList());
        });
        return new Role(rolename, acls);
    }

    /** A client's or group's roles, highest priority first. */
    private List<Role> roleList(Map<String, Object> owner, Map<String, Role> roles, String who)
            throws SecurityFileException {
        List<Map.Entry<Integer, Role>> out = new ArrayList<>();
        for (Object o : list(owner, "roles")) {
            Map<String, Object> ref = object(o, "a role of " + who);
            String rolename = text(ref, "rolename", "a role of " + who);
            Role role = roles.get(rolename);
            if (role == null) {
                throw problem(who + " has role '" + rolename + "', which the file does not define; create the role"
                        + " (mosquitto_ctrl dynsec createRole) or remove it from " + who);
            }
            out.add(Map.entry(priority(ref), role));
        }
        out.sort(BY_PRIORITY);
        return out.stream().map(Map.Entry::getValue).toList();
    }

    private static Defaults defaults(Map<String, Object> root) {
        Defaults d = Defaults.MOSQUITTO;
        if (!(root.get("defaultACLAccess") instanceof Map<?, ?> m)) {
            return d;
        }
        return new Defaults(flag(m, "publishClientSend", d.publishSend()),
                flag(m, "publishClientReceive", d.publishReceive()), flag(m, "subscribe", d.subscribe()),
                flag(m, "unsubscribe", d.unsubscribe()));
    }

    private static boolean flag(Map<?, ?> m, String key, boolean otherwise) {
        return m.get(key) instanceof Boolean b ? b : otherwise;
    }

    private static int priority(Map<String, Object> m) {
        return m.get("priority") instanceof Double d ? d.intValue() : NO_PRIORITY;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Object o, String what) throws SecurityFileException {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw problem(what + " is not a JSON object; the file mosquitto_ctrl dynsec init writes is the format");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Map<String, Object> m, String key) throws SecurityFileException {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw problem("'" + key + "' is not a JSON array");
    }

    private String text(Map<String, Object> m, String key, String what) throws SecurityFileException {
        if (m.get(key) instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw problem(what + " has no '" + key + "'");
    }

    private static String optionalText(Map<String, Object> m, String key) {
        return m.get(key) instanceof String s ? s : null;
    }

    /** A base64 field of a client; absent means the client has no password and cannot log in. */
    private byte[] bytes(Map<String, Object> c, String key, String username) throws SecurityFileException {
        String s = optionalText(c, key);
        if (s == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw problem("client " + username + " has a '" + key + "' that is not base64; set the password again"
                    + " with mosquitto_ctrl dynsec setClientPassword");
        }
    }
}
