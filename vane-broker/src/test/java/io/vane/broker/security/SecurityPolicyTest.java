package io.vane.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.auth.Authenticator.AuthResult;
import io.vane.broker.auth.ClientIdentity;
import io.vane.broker.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** allow_anonymous, password file and ACL combined, globally and per listener; reload. */
class SecurityPolicyTest {
    @TempDir
    Path dir;

    private Path passwords() throws Exception {
        Path file = dir.resolve("pwfile");
        Files.writeString(file, "weemqtt:" + PasswordHash.pbkdf2("weepass", 101).encoded() + "\n");
        return file;
    }

    private static Credentials creds(String user, String password, int port) {
        return new Credentials("c", user, password == null ? null : password.getBytes(StandardCharsets.UTF_8),
                "127.0.0.1:5000", port);
    }

    @Test
    void secureDefaultLetsAnonymousClientsReadSensorTopicsOnly() {
        SecurityPolicy p = SecurityPolicy.secureDefault();
        AuthResult r = p.authenticate(creds(null, null, 1883));
        assertThat(r.accepted()).isTrue();
        ClientIdentity anon = ClientIdentity.remote("c", r.username(), 1883, "127.0.0.1:5000");
        assertThat(p.canRead(anon, "weather/loop")).isTrue();
        assertThat(p.canRead(anon, "dsmr/reading")).isTrue();
        assertThat(p.canRead(anon, "$SYS/broker/uptime")).isTrue();
        assertThat(p.canRead(anon, "home/door")).isFalse();
        assertThat(p.canPublish(anon, "weather/loop")).isFalse();
        assertThat(p.canSubscribe(anon, "#")).isTrue();
        assertThat(p.canSubscribe(anon, "home/#")).isFalse();
        assertThat(p.describeAnonymous().get(0)).startsWith("Anonymous clients may read weather/#");
    }

    @Test
    void usersFromThePasswordFileMayPublish() throws Exception {
        SecurityPolicy p = new SecurityPolicy(new SecuritySettings(null, passwords(), null), Map.of());
        AuthResult ok = p.authenticate(creds("weemqtt", "weepass", 1883));
        assertThat(ok.username()).isEqualTo("weemqtt");
        assertThat(p.canPublish(new ClientIdentity("c", "weemqtt", 1883), "weather/loop")).isTrue();
        AuthResult wrongPassword = p.authenticate(creds("weemqtt", "nope", 1883));
        AuthResult unknownUser = p.authenticate(creds("mallory", "weepass", 1883));
        assertThat(wrongPassword).isEqualTo(unknownUser).as("the answer does not say which part was wrong");
        assertThat(wrongPassword.reasonCode()).isEqualTo(0x86);
    }

    @Test
    void allowAnonymousFalseRefusesAnonymousClients() throws Exception {
        SecurityPolicy p = new SecurityPolicy(new SecuritySettings(false, passwords(), null), Map.of());
        assertThat(p.authenticate(creds(null, null, 1883)).accepted()).isFalse();
    }

    @Test
    void perListenerSettingsMakeWebSocketsReadOnlyAndTcpNeedAPassword() throws Exception {
        SecurityPolicy p = new SecurityPolicy(SecuritySettings.DEFAULTS, Map.of(
                1883, new SecuritySettings(false, passwords(), null),
                9001, new SecuritySettings(null, null, null)));
        assertThat(p.authenticate(creds(null, null, 1883)).accepted()).isFalse();
        assertThat(p.authenticate(creds(null, null, 9001)).accepted()).isTrue();
        ClientIdentity browser = new ClientIdentity("page", null, 9001);
        assertThat(p.canRead(browser, "weather/loop")).isTrue();
        assertThat(p.canPublish(browser, "weather/loop")).isFalse();
    }

    @Test
    void reloadSwapsTheFilesAndKeepsTheOldRulesOnError() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "topic read a/#\n");
        SecurityPolicy p = new SecurityPolicy(new SecuritySettings(true, null, acl), Map.of());
        ClientIdentity anon = new ClientIdentity("c", null, 1883);
        assertThat(p.canRead(anon, "a/1")).isTrue();
        Files.writeString(acl, "topic read b/#\n");
        assertThat(p.reload()).isNull();
        assertThat(p.canRead(anon, "a/1")).isFalse();
        assertThat(p.canRead(anon, "b/1")).isTrue();
        Files.writeString(acl, "broken line\n");
        assertThat(p.reload()).startsWith(acl + ":1:");
        assertThat(p.canRead(anon, "b/1")).as("old rules kept").isTrue();
    }

    @Test
    void defaultReadRuleAgreesWithTopicMatching() {
        for (String topic : java.util.List.of("weather", "weather/loop", "weather/a/b", "weatherstation/x",
                "dsmr/reading", "opentherm", "$SYS/broker/uptime", "$SYS/brokerx", "$SYS/other", "home/door", "")) {
            boolean expected = SecurityPolicy.ANONYMOUS_READ.stream()
                    .anyMatch(f -> io.vane.broker.routing.TopicMatcher.matches(f, topic));
            assertThat(SecurityPolicy.readableByDefault(topic)).as(topic).isEqualTo(expected);
        }
    }
}
