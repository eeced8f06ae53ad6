package io.vane.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vane.broker.auth.ClientIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The dynamic-security plugin's rules as Vane applies them to a file in mosquitto_ctrl's format
 * (the vane-it DynamicSecurityTest compares a real file on Debian's mosquitto and on Vane).
 */
class DynamicSecurityTest {
    private static final byte[] SALT = "twelve bytes".getBytes(StandardCharsets.US_ASCII);

    private static String client(String name, String password, String extra) throws Exception {
        byte[] hash = Pbkdf2.hmacSha512(password.getBytes(StandardCharsets.UTF_8), SALT, 101, 64);
        return "{\"username\": \"" + name + "\", \"password\": \"" + Base64.getEncoder().encodeToString(hash)
                + "\", \"salt\": \"" + Base64.getEncoder().encodeToString(SALT) + "\", \"iterations\": 101" + extra + "}";
    }

    private static DynamicSecurity file(String clients, String groups, String roles, String rest)
            throws SecurityFileException {
        return DynamicSecurityFile.parse("dynamic-security.json", "{\"clients\": [" + clients + "], \"groups\": ["
                + groups + "], \"roles\": [" + roles + "]" + rest + "}");
    }

    private static ClientIdentity as(String user) {
        return new ClientIdentity("id-" + user, user, 1883);
    }

    @Test
    void aClientsOwnRolesComeBeforeItsGroupsAndHigherPrioritiesFirst() throws Exception {
        DynamicSecurity d = file(client("alice", "pw", ", \"roles\": [{\"rolename\": \"low\", \"priority\": 1},"
                        + " {\"rolename\": \"high\", \"priority\": 9}]"),
                "{\"groupname\": \"g\", \"roles\": [{\"rolename\": \"open\"}], \"clients\": [{\"username\": \"alice\"}]}",
                "{\"rolename\": \"low\", \"acls\": [{\"acltype\": \"publishClientSend\", \"topic\": \"a/#\", \"allow\": true}]},"
                        + "{\"rolename\": \"high\", \"acls\": [{\"acltype\": \"publishClientSend\", \"topic\": \"a/x\","
                        + " \"allow\": false}, {\"acltype\": \"publishClientSend\", \"topic\": \"a/y\", \"allow\": true,"
                        + " \"priority\": -5}, {\"acltype\": \"publishClientSend\", \"topic\": \"a/y\", \"allow\": false,"
                        + " \"priority\": 3}]},"
                        + "{\"rolename\": \"open\", \"acls\": [{\"acltype\": \"publishClientSend\", \"topic\": \"#\","
                        + " \"allow\": true}]}", "");
        assertThat(d.canPublish(as("alice"), "a/x")).as("role high (priority 9) denies first").isFalse();
        assertThat(d.canPublish(as("alice"), "a/y")).as("within a role, the priority 3 ACL first").isFalse();
        assertThat(d.canPublish(as("alice"), "a/z")).as("role low allows").isTrue();
        assertThat(d.canPublish(as("alice"), "b/z")).as("the group's role, after the client's").isTrue();
    }

    @Test
    void defaultAclAccessDecidesWhenNoAclMatchesButNeverOpensControl() throws Exception {
        DynamicSecurity mosquittoDefaults = file("", "", "", "");
        assertThat(mosquittoDefaults.canPublish(as("x"), "t")).isFalse();
        assertThat(mosquittoDefaults.canRead(as("x"), "t")).isTrue();
        assertThat(mosquittoDefaults.canRead(as("x"), "$CONTROL/dynamic-security/v1/response")).isFalse();
        assertThat(mosquittoDefaults.canSubscribe(as("x"), "t")).isFalse();
        DynamicSecurity open = file("", "", "", ", \"defaultACLAccess\": {\"publishClientSend\": true,"
                + " \"publishClientReceive\": false, \"subscribe\": true}");
        assertThat(open.canPublish(as("x"), "t")).isTrue();
        assertThat(open.canPublish(as("x"), "$CONTROL/dynamic-security/v1")).isFalse();
        assertThat(open.canRead(as("x"), "t")).isFalse();
        assertThat(open.canSubscribe(as("x"), "t/#")).isTrue();
    }

    @Test
    void subscribeLiteralMustEqualAndSubscribePatternMustCoverTheWholeSubscription() throws Exception {
        DynamicSecurity d = file(client("a", "pw", ", \"roles\": [{\"rolename\": \"r\"}]"), "",
                "{\"rolename\": \"r\", \"acls\": [{\"acltype\": \"subscribeLiteral\", \"topic\": \"x/+\", \"allow\": true},"
                        + " {\"acltype\": \"subscribePattern\", \"topic\": \"s/+/t\", \"allow\": true}]}", "");
        assertThat(d.canSubscribe(as("a"), "x/+")).isTrue();
        assertThat(d.canSubscribe(as("a"), "x/1")).as("literal: not a match of the filter").isFalse();
        assertThat(d.canSubscribe(as("a"), "s/1/t")).isTrue();
        assertThat(d.canSubscribe(as("a"), "s/+/t")).isTrue();
        assertThat(d.canSubscribe(as("a"), "s/#")).as("wider than the pattern").isFalse();
        assertThat(DynamicSecurity.covers("a/#", "a/+/b")).isTrue();
        assertThat(DynamicSecurity.covers("a/+", "a/#")).isFalse();
        assertThat(DynamicSecurity.covers("#", "$SYS/x")).isFalse();
    }

    @Test
    void loginNeedsTheRightPasswordAnEnabledClientAndItsBoundClientId() throws Exception {
        DynamicSecurity d = file(client("alice", "apass", "") + "," + client("bob", "bpass", ", \"clientid\": \"bobid\"")
                + "," + client("carol", "cpass", ", \"disabled\": true") + ", {\"username\": \"dave\"}", "", "", "");
        byte[] apass = "apass".getBytes(StandardCharsets.UTF_8);
        assertThat(d.login("alice", apass, "any")).isTrue();
        assertThat(d.login("alice", "wrong".getBytes(StandardCharsets.UTF_8), "any")).isFalse();
        assertThat(d.login("alice", null, "any")).isFalse();
        assertThat(d.login("bob", "bpass".getBytes(StandardCharsets.UTF_8), "bobid")).isTrue();
        assertThat(d.login("bob", "bpass".getBytes(StandardCharsets.UTF_8), "other")).isFalse();
        assertThat(d.login("carol", "cpass".getBytes(StandardCharsets.UTF_8), "c")).isFalse();
        assertThat(d.login("dave", new byte[0], "d")).as("no password in the file").isFalse();
        assertThat(d.login("nobody", apass, "n")).isFalse();
    }

    @Test
    void anonymousClientsHaveTheAnonymousGroupsRoles() throws Exception {
        DynamicSecurity d = file("", "{\"groupname\": \"guests\", \"roles\": [{\"rolename\": \"r\"}]}",
                "{\"rolename\": \"r\", \"acls\": [{\"acltype\": \"publishClientSend\", \"topic\": \"lobby/#\","
                        + " \"allow\": true}]}", ", \"anonymousGroup\": \"guests\"");
        assertThat(d.canPublish(as(null), "lobby/x")).isTrue();
        assertThat(d.canPublish(as("someone"), "lobby/x")).as("not for named clients").isFalse();
    }

    @Test
    void referencesThatCouldWidenAccessStopLoading() {
        assertThatThrownBy(() -> file(client("a", "pw", ", \"roles\": [{\"rolename\": \"gone\"}]"), "", "", ""))
                .hasMessageContaining("client a has role 'gone', which the file does not define");
        assertThatThrownBy(() -> file("", "", "", ", \"anonymousGroup\": \"nope\""))
                .hasMessageContaining("anonymousGroup 'nope' is not a group");
        assertThatThrownBy(() -> file("", "", "{\"rolename\": \"r\", \"acls\": [{\"acltype\": \"publishDeny\","
                + " \"topic\": \"t\"}]}", "")).hasMessageContaining("an ACL of type 'publishDeny'");
        assertThatThrownBy(() -> file("", "", "{\"rolename\": \"r\", \"acls\": [{\"acltype\": \"publishClientSend\","
                + " \"topic\": \"a/#/b\"}]}", "")).hasMessageContaining("not a valid topic filter");
        assertThatThrownBy(() -> DynamicSecurityFile.parse("f.json", "{\"clients\": [}"))
                .hasMessageStartingWith("f.json: not valid JSON (line 1:");
    }
}
