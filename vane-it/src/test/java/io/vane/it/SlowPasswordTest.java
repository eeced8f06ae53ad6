package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vane.app.config.SecurityConfig;
import io.vane.app.config.VaneConfig;
import io.vane.broker.security.PasswordHash;
import io.vane.broker.security.SecuritySettings;
import io.vane.testkit.BrokerFixture;
import io.vane.transport.ListenerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow password hashes (many PBKDF2 rounds, argon2id) are checked off the event loops, so a login storm
 * does not stall deliveries (issue 17); mosquitto_passwd's 101 rounds stay on the loop, with no hop.
 */
class SlowPasswordTest {
    @TempDir
    Path dir;

    private BrokerFixture broker(String... lines) throws Exception {
        Path pw = dir.resolve("pwfile");
        Files.writeString(pw, String.join("\n", lines) + "\n");
        return BrokerFixture.start(VaneConfig.defaults()
                .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1)))
                .withSecurity(new SecurityConfig(new SecuritySettings(false, pw, null), Map.of())));
    }

    private static void login(BrokerFixture b, String id, String user, String password) throws MqttException {
        MqttClient c = new MqttClient(b.uri(), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        try {
            c.connect(o);
            c.disconnect();
        } finally {
            c.close();
        }
    }

    @Test
    void manyRoundsAreCheckedOffTheEventLoopsWithTheSameAnswers() throws Exception {
        try (BrokerFixture b = broker("alice:" + PasswordHash.pbkdf2("apass", 20_000).encoded(),
                "bob:" + PasswordHash.pbkdf2("bpass", 101).encoded())) {
            assertThat(b.vane().broker().passwordCheckThreads()).isZero();
            login(b, "a", "alice", "apass");
            assertThat(b.vane().broker().passwordCheckThreads()).as("the check ran on a password thread").isPositive();
            // Every user of the file goes the same way, bob's fast hash too: the hop says nothing.
            login(b, "b", "bob", "bpass");
            assertThatThrownBy(() -> login(b, "c", "alice", "wrong")).isInstanceOf(MqttException.class)
                    .extracting(e -> ((MqttException) e).getReasonCode())
                    .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
            assertThatThrownBy(() -> login(b, "d", "nobody", "x")).isInstanceOf(MqttException.class)
                    .extracting(e -> ((MqttException) e).getReasonCode())
                    .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        }
    }

    @Test
    void mosquittoPasswdsDefaultStaysOnTheLoop() throws Exception {
        try (BrokerFixture b = broker("bob:" + PasswordHash.pbkdf2("bpass", 101).encoded())) {
            login(b, "b", "bob", "bpass");
            assertThat(b.vane().broker().passwordCheckThreads()).isZero();
        }
    }
}
