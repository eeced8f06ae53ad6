package io.vane.broker.security;

import io.vane.broker.auth.Authenticator;
import io.vane.broker.auth.Authorizer;
import io.vane.broker.auth.ClientIdentity;
import io.vane.broker.auth.Credentials;
import io.vane.broker.routing.TopicMatcher;
import io.vane.protocol.ReasonCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect and what they may do, from allow_anonymous, password_file and acl_file, per
 * listener when per_listener_settings is true. Secure by default: without allow_anonymous in the
 * config, anonymous clients may read {@link #ANONYMOUS_READ} and publish nowhere.
 *
 * <p>Thread-safe: each check reads one immutable snapshot; {@link #reload()} swaps it atomically and
 * keeps the old one when a file is broken.
 */
public final class SecurityPolicy implements Authenticator, Authorizer {
    private static final Logger LOG = LoggerFactory.getLogger("vane.security");

    /** What anonymous clients may read by default: the device topics and the broker's status. */
    public static final List<String> ANONYMOUS_READ = List.of("weather/#", "dsmr/#", "opentherm/#", "$SYS/broker/#");
    /** Of those, the home's own data: read anonymously only where {@link HomeData} allows (decision 0014). */
    public static final List<String> HOME_DATA = List.of("dsmr/#", "opentherm/#");

    private final SecuritySettings global;
    private final Map<Integer, SecuritySettings> perListener;
    private final HomeData homeData;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

    /** How anonymous clients are treated on one listener. */
    enum Anonymous { REFUSED, READ_ONLY_DEFAULT, BY_ACL, EVERYTHING }

    /** The loaded files of one listener's settings. */
    record Loaded(Anonymous anonymous, PasswordFile passwords, AclFile acl, DynamicSecurity dynsec) {
    }

    private record Snapshot(Loaded global, Map<Integer, Loaded> perListener) {
        Loaded forPort(int port) {
            Loaded l = perListener.get(port);
            return l != null ? l : global;
        }
    }

    /**
     * @param perListener settings by listener port when per_listener_settings is true; empty otherwise
     */
    public SecurityPolicy(SecuritySettings global, Map<Integer, SecuritySettings> perListener)
            throws SecurityFileException {
        this(global, perListener, HomeData.LOCAL);
    }

    /** @param homeData from where anonymous clients may read {@link #HOME_DATA} under the default */
    public SecurityPolicy(SecuritySettings global, Map<Integer, SecuritySettings> perListener, HomeData homeData)
            throws SecurityFileException {
        this.global = global;
        this.perListener = Map.copyOf(perListener);
        this.homeData = homeData;
        snapshot.set(load());
    }

    public static SecurityPolicy secureDefault() {
        try {
            return new SecurityPolicy(SecuritySettings.DEFAULTS, Map.of());
        } catch (SecurityFileException e) {
            throw new IllegalStateException("defaults read no files", e);
        }
    }

    private Snapshot load() throws SecurityFileException {
        Map<Integer, Loaded> byPort = new HashMap<>();
        for (Map.Entry<Integer, SecuritySettings> e : perListener.entrySet()) {
            byPort.put(e.getKey(), load(e.getValue()));
        }
        return new Snapshot(load(global), Map.copyOf(byPort));
    }

    private static Loaded load(SecuritySettings s) throws SecurityFileException {
        PasswordFile passwords = s.passwordFile() == null ? null : PasswordFile.load(s.passwordFile());
        AclFile acl = s.aclFile() == null ? null : AclFile.load(s.aclFile());
        DynamicSecurity dynsec = s.dynamicSecurity() == null ? null : DynamicSecurity.load(s.dynamicSecurity());
        Anonymous anonymous;
        if (s.allowAnonymous() == null) {
            anonymous = acl != null ? Anonymous.BY_ACL : Anonymous.READ_ONLY_DEFAULT;
        } else if (!s.allowAnonymous()) {
            anonymous = Anonymous.REFUSED;
        } else {
            anonymous = acl != null ? Anonymous.BY_ACL : Anonymous.EVERYTHING;
        }
        if (dynsec != null) {
            // The plugin decides; allow_anonymous only says whether clients without a user name connect.
            anonymous = Boolean.TRUE.equals(s.allowAnonymous()) ? Anonymous.BY_ACL : Anonymous.REFUSED;
        }
        return new Loaded(anonymous, passwords, acl, dynsec);
    }

    /** Re-reads the files (SIGHUP). On error the old rules stay and the error is returned; else null. */
    public String reload() {
        try {
            snapshot.set(load());
            LOG.info("Security settings reloaded.");
            return null;
        } catch (SecurityFileException e) {
            LOG.error("Reload failed, keeping the previous security settings: {}", e.getMessage());
            return e.getMessage();
        }
    }

    // ---- Authenticator --------------------------------------------------------------------------

    @Override
    public boolean slowPasswordChecks(int listenerPort) {
        PasswordFile passwords = snapshot.get().forPort(listenerPort).passwords();
        return passwords != null && passwords.isSlow();
    }

    @Override
    public AuthResult authenticate(Credentials c) {
        if (c.certificateName() != io.vane.broker.auth.CertificateName.NONE) {
            return byCertificate(c);
        }
        Loaded l = snapshot.get().forPort(c.listenerPort());
        if (l.dynsec() != null) {
            return byDynamicSecurity(l, c);
        }
        if (c.username() != null && l.passwords() != null) {
            if (l.passwords().check(c.username(), c.password())) {
                return AuthResult.accepted(c.username());
            }
            // Never say whether the user exists or the password was wrong.
            return AuthResult.refused(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        if (l.anonymous() == Anonymous.REFUSED) {
            return AuthResult.refused(ReasonCode.NOT_AUTHORIZED);
        }
        // Without a password file a user name cannot be verified, so it grants nothing.
        return AuthResult.accepted(null);
    }

    /**
     * use_identity_as_username / use_subject_as_username (mosquitto.conf(5)): the verified certificate names
     * the user, the password file is not used for this listener, and a client without a certificate, or
     * whose certificate gives no name (no CN), is refused as Mosquitto refuses it: Bad User Name or Password.
     */
    private static AuthResult byCertificate(Credentials c) {
        String name = c.certificateName().userName(c.certificate());
        return name == null ? AuthResult.refused(ReasonCode.BAD_USER_NAME_OR_PASSWORD) : AuthResult.accepted(name);
    }

    /**
     * The plugin's basic authentication: a user name needs a client of the file with that password (and
     * its client id, if it has one); a client without a user name is let in only with allow_anonymous true.
     * A refusal is Not Authorized (0x87), as mosquitto 2.0.11 answers with the plugin (measured in
     * DynamicSecurityTest), where Vane's password_file answers Bad User Name or Password.
     */
    private static AuthResult byDynamicSecurity(Loaded l, Credentials c) {
        if (c.username() == null) {
            return l.anonymous() == Anonymous.REFUSED ? AuthResult.refused(ReasonCode.NOT_AUTHORIZED)
                    : AuthResult.accepted(null);
        }
        return l.dynsec().login(c.username(), c.password(), c.clientId()) ? AuthResult.accepted(c.username())
                : AuthResult.refused(ReasonCode.NOT_AUTHORIZED);
    }

    // ---- Authorizer -----------------------------------------------------------------------------

    @Override
    public boolean canPublish(ClientIdentity who, String topic) {
        if (who == null) {
            return false;
        }
        if (who.internal()) {
            return true;
        }
        Loaded l = snapshot.get().forPort(who.listenerPort());
        if (l.dynsec() != null) {
            return !topic.startsWith("$SYS") && l.dynsec().canPublish(who, topic);
        }
        if (who.isAnonymous()) {
            return switch (l.anonymous()) {
                case EVERYTHING -> !topic.startsWith("$SYS");
                case BY_ACL -> l.acl().canWrite(who, topic);
                default -> false;
            };
        }
        return l.acl() == null ? !topic.startsWith("$SYS") : l.acl().canWrite(who, topic);
    }

    @Override
    public boolean canSubscribe(ClientIdentity who, String filter) {
        if (who == null) {
            return false;
        }
        if (who.internal()) {
            return true;
        }
        Loaded l = snapshot.get().forPort(who.listenerPort());
        if (l.dynsec() != null) {
            return l.dynsec().canSubscribe(who, filter);
        }
        if (who.isAnonymous()) {
            return switch (l.anonymous()) {
                case EVERYTHING -> true;
                case BY_ACL -> l.acl().canSubscribe(who, filter);
                case READ_ONLY_DEFAULT -> overlapsDefault(filter, homeData.allows(who.remoteAddress()));
                case REFUSED -> false;
            };
        }
        return l.acl() == null || l.acl().canSubscribe(who, filter);
    }

    @Override
    public boolean canRead(ClientIdentity who, String topic) {
        if (who == null) {
            return false;
        }
        if (who.internal()) {
            return true;
        }
        Loaded l = snapshot.get().forPort(who.listenerPort());
        if (l.dynsec() != null) {
            return l.dynsec().canRead(who, topic);
        }
        if (who.isAnonymous()) {
            return switch (l.anonymous()) {
                case EVERYTHING -> true;
                case BY_ACL -> l.acl().canRead(who, topic);
                case READ_ONLY_DEFAULT -> readableByDefault(topic)
                        && (homeData.allows(who.remoteAddress()) || !under(HOME_DATA, topic));
                case REFUSED -> false;
            };
        }
        return l.acl() == null || l.acl().canRead(who, topic);
    }

    /**
     * Whether a topic is under one of {@link #ANONYMOUS_READ}'s {@code prefix/#} filters. Runs for every
     * delivery to an anonymous page, so it compares prefixes instead of splitting the topic.
     */
    static boolean readableByDefault(String topic) {
        return under(ANONYMOUS_READ, topic);
    }

    private static boolean under(List<String> filters, String topic) {
        for (String f : filters) {
            int prefix = f.length() - 2; // "weather/#" -> "weather"
            if (topic.length() >= prefix && topic.regionMatches(0, f, 0, prefix)
                    && (topic.length() == prefix || topic.charAt(prefix) == '/')) {
                return true;
            }
        }
        return false;
    }

    private static boolean overlapsDefault(String filter, boolean home) {
        for (String f : ANONYMOUS_READ) {
            if (!home && HOME_DATA.contains(f)) {
                continue;
            }
            if (TopicMatcher.matches(f, filter) || TopicMatcher.matches(filter, f)) {
                return true;
            }
        }
        return false;
    }

    /** One or two lines for the start-up log: what anonymous clients can do on each listener. */
    public List<String> describeAnonymous() {
        Snapshot s = snapshot.get();
        List<String> lines = new ArrayList<>();
        if (s.perListener().isEmpty()) {
            lines.add(describe(s.global()));
        } else {
            s.perListener().forEach((port, l) -> lines.add("Port " + port + ": " + describe(l)));
        }
        return lines;
    }

    private String describe(Loaded l) {
        if (l.dynsec() != null) {
            return (l.anonymous() == Anonymous.REFUSED ? "Anonymous clients are refused. "
                    : "Anonymous clients have the dynamic-security file's anonymous group. ") + l.dynsec().describe()
                    + "; $CONTROL/dynamic-security is not served (mosquitto_ctrl cannot change it at run time):"
                    + " edit the file and reload (SIGHUP).";
        }
        String users = l.passwords() == null ? " No password file: nobody can log in as a user."
                : " " + l.passwords().size() + " user(s) from the password file"
                        + (l.acl() == null ? " may read and publish everywhere." : " follow the ACL file.");
        return switch (l.anonymous()) {
            case REFUSED -> "Anonymous clients are refused." + users;
            case READ_ONLY_DEFAULT -> "Anonymous clients may read " + String.join(", ", ANONYMOUS_READ)
                    + " and publish nowhere" + switch (homeData) {
                        case LOCAL -> "; " + String.join(" and ", HOME_DATA) + " only from loopback and private"
                                + " addresses (anonymous_home_data local).";
                        case NEVER -> "; " + String.join(" and ", HOME_DATA) + " not at all (anonymous_home_data never).";
                        case ANYWHERE -> ".";
                    } + users;
            case BY_ACL -> "Anonymous clients may do what the ACL file's lines before any 'user' line allow." + users;
            case EVERYTHING -> "Warning: anonymous clients may read and publish everywhere (allow_anonymous true, no"
                    + " acl_file)." + users;
        };
    }
}
