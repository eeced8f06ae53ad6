package io.vane.broker.security;

import io.vane.broker.auth.ClientIdentity;
import io.vane.broker.routing.TopicMatcher;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * Mosquitto 2.0's dynamic-security plugin, read from its JSON file (docs/decisions/0022): clients with
 * PBKDF2-SHA512 passwords, groups, roles with ACLs, the anonymous group and defaultACLAccess, enforced
 * as the plugin does:
 * <ul>
 *   <li>a client's own roles are checked first, highest priority first, then its groups' roles (groups
 *       by priority, then their roles by priority); a client without a user name has the anonymous
 *       group's roles; within a role its ACLs of the kind asked, highest priority first;</li>
 *   <li>the first ACL whose topic matches decides (allow or deny); if none does, defaultACLAccess does,
 *       but never for {@code $CONTROL} topics;</li>
 *   <li>publish ACLs match the topic as a filter; {@code subscribeLiteral} must equal the subscription,
 *       {@code subscribePattern} must cover all of it.</li>
 * </ul>
 * Immutable once loaded; {@link SecurityPolicy} swaps a new one in on reload.
 */
public final class DynamicSecurity {
    /** The kinds of ACL Vane's authorizer asks about (unsubscribe ACLs are read but never refuse). */
    enum Kind { PUBLISH_SEND, PUBLISH_RECEIVE, SUBSCRIBE_LITERAL, SUBSCRIBE_PATTERN, UNSUBSCRIBE }

    record Acl(Kind kind, String topic, boolean allow, int priority) {
    }

    /** A role's ACLs, each list in the order they are checked. */
    record Role(String name, Map<Kind, List<Acl>> acls) {
        List<Acl> of(Kind kind) {
            return acls.getOrDefault(kind, List.of());
        }
    }

    /** Roles, in the order they are checked for a client. */
    record Client(String username, String clientId, byte[] hash, byte[] salt, int iterations, boolean disabled,
            List<Role> roles) {
    }

    /** defaultACLAccess: what happens when no ACL matches. */
    record Defaults(boolean publishSend, boolean publishReceive, boolean subscribe, boolean unsubscribe) {
        static final Defaults MOSQUITTO = new Defaults(false, true, false, true);
    }

    private final Map<String, Client> clients;
    private final List<Role> anonymous;
    private final Defaults defaults;
    private final String source;
    /** Salt and work of the first client, for the time an unknown user name costs. */
    private final Client timingDummy;

    DynamicSecurity(String source, Map<String, Client> clients, List<Role> anonymous, Defaults defaults) {
        this.source = source;
        this.clients = Map.copyOf(clients);
        this.anonymous = List.copyOf(anonymous);
        this.defaults = defaults;
        this.timingDummy = clients.values().stream().findFirst().orElse(null);
    }

    /** Reads the plugin's JSON file ({@code plugin_opt_config_file}). */
    public static DynamicSecurity load(java.nio.file.Path file) throws SecurityFileException {
        return DynamicSecurityFile.load(file);
    }

    public int clientCount() {
        return clients.size();
    }

    String source() {
        return source;
    }

    /**
     * Whether a user name and password log in: a known, enabled client with a password, the right one,
     * and the client id the client is bound to, if any. Unknown user names cost the same hashing.
     */
    boolean login(String username, byte[] password, String clientId) {
        Client c = clients.get(username);
        Client hashAs = c != null ? c : timingDummy;
        boolean passwordOk = false;
        if (hashAs != null && password != null && hashAs.hash() != null) {
            try {
                byte[] derived = Pbkdf2.hmacSha512(password, hashAs.salt(), hashAs.iterations(), hashAs.hash().length);
                passwordOk = MessageDigest.isEqual(derived, hashAs.hash());
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA512 is part of every JDK", e);
            }
        }
        return c != null && passwordOk && !c.disabled() && (c.clientId() == null || c.clientId().equals(clientId));
    }

    private List<Role> rolesOf(ClientIdentity who) {
        if (who.username() == null) {
            return anonymous;
        }
        Client c = clients.get(who.username());
        return c == null ? List.of() : c.roles();
    }

    public boolean canPublish(ClientIdentity who, String topic) {
        return decide(who, Kind.PUBLISH_SEND, topic, defaults.publishSend());
    }

    public boolean canRead(ClientIdentity who, String topic) {
        return decide(who, Kind.PUBLISH_RECEIVE, topic, defaults.publishReceive());
    }

    public boolean canSubscribe(ClientIdentity who, String filter) {
        for (Role r : rolesOf(who)) {
            for (Acl a : r.of(Kind.SUBSCRIBE_LITERAL)) {
                if (a.topic().equals(filter)) {
                    return a.allow();
                }
            }
            for (Acl a : r.of(Kind.SUBSCRIBE_PATTERN)) {
                if (covers(a.topic(), filter)) {
                    return a.allow();
                }
            }
        }
        return fallThrough(filter, defaults.subscribe());
    }

    private boolean decide(ClientIdentity who, Kind kind, String topic, boolean byDefault) {
        for (Role r : rolesOf(who)) {
            for (Acl a : r.of(kind)) {
                if (TopicMatcher.matches(a.topic(), topic)) {
                    return a.allow();
                }
            }
        }
        return fallThrough(topic, byDefault);
    }

    /** defaultACLAccess, which never opens $CONTROL: those topics must be granted by a role. */
    private static boolean fallThrough(String topic, boolean byDefault) {
        return byDefault && !topic.startsWith("$CONTROL");
    }

    /**
     * Whether every topic the subscription can match is matched by the ACL's filter: {@code #} covers the
     * rest, {@code +} any one level but not a {@code #}, a word only the same word. A wildcard first level
     * does not cover a {@code $} subscription.
     */
    static boolean covers(String acl, String sub) {
        if (sub.startsWith("$") && (acl.startsWith("+") || acl.startsWith("#"))) {
            return false;
        }
        String[] a = acl.split("/", -1);
        String[] s = sub.split("/", -1);
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals("#")) {
                return true;
            }
            if (i >= s.length) {
                return false;
            }
            if (a[i].equals("+") ? s[i].equals("#") : !a[i].equals(s[i])) {
                return false;
            }
        }
        return a.length == s.length;
    }

    /** For the start-up log. */
    String describe() {
        return clients.size() + " client(s) from the dynamic-security file " + source + " follow its roles";
    }
}
