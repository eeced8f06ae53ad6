package io.vane.it.dynsec;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import io.vane.app.Vane;
import io.vane.app.config.ConfigParser;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Processes;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Mosquitto 2 user's dynamic security, carried over: Debian's mosquitto runs the plugin, mosquitto_ctrl
 * adds clients, groups, roles and ACLs, then Vane reads the same JSON file. The same probes (logins,
 * publishes, subscriptions, deliveries, with HiveMQ's MQTT 5 client) give the same answers on both, and a
 * change made with mosquitto_ctrl applies on Vane after a reload.
 */
class DynamicSecurityTest {
    private static final String PLUGIN = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";

    @TempDir
    Path dir;

    private static void ctrl(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_ctrl", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-u", "admin", "-P", "admin-secret", "dynsec"));
        cmd.addAll(List.of(args));
        Processes.Result r = Processes.run(20, cmd.toArray(new String[0]));
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.stderr() + r.stdout()).isZero();
    }

    private static MosquittoBroker mosquitto(Path json) {
        return MosquittoBroker.start(List.of("plugin " + PLUGIN, "plugin_opt_config_file " + json));
    }

    @Test
    void theSameClientsLogInAndTheSameAclsHoldOnVaneAsOnMosquitto() throws Exception {
        Path json = dir.resolve("dynamic-security.json");
        Processes.Result init = Processes.run(60, "mosquitto_ctrl", "dynsec", "init", json.toString(), "admin",
                "admin-secret");
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        List<String> onMosquitto;
        try (MosquittoBroker m = mosquitto(json)) {
            int p = m.port();
            ctrl(p, "createClient", "alice", "-p", "apass");
            ctrl(p, "createRole", "sensors");
            ctrl(p, "addRoleACL", "sensors", "publishClientSend", "sensors/#", "allow", "5");
            ctrl(p, "addRoleACL", "sensors", "publishClientSend", "sensors/secret", "deny", "10");
            ctrl(p, "addRoleACL", "sensors", "subscribePattern", "sensors/#", "allow");
            ctrl(p, "addRoleACL", "sensors", "publishClientReceive", "sensors/hidden", "deny");
            ctrl(p, "addClientRole", "alice", "sensors");
            ctrl(p, "createRole", "lobby");
            ctrl(p, "addRoleACL", "lobby", "publishClientSend", "lobby/#", "allow");
            ctrl(p, "addRoleACL", "lobby", "subscribeLiteral", "lobby/news", "allow");
            ctrl(p, "createGroup", "guests");
            ctrl(p, "addGroupRole", "guests", "lobby");
            ctrl(p, "setAnonymousGroup", "guests");
            ctrl(p, "createClient", "bob", "-p", "bpass", "-c", "bobid");
            ctrl(p, "addGroupClient", "guests", "bob");
            ctrl(p, "createClient", "carol", "-p", "cpass");
            ctrl(p, "disableClient", "carol");
            onMosquitto = probes(p);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n", "listener " + port + " 127.0.0.1", "allow_anonymous true",
                "plugin " + PLUGIN, "plugin_opt_config_file " + json, ""));
        try (Vane vane = Vane.start(new ConfigParser().read(conf))) {
            assertThat(probes(vane.port(0))).isEqualTo(onMosquitto);
            // A change made with mosquitto_ctrl (which needs a broker running the plugin on the file), then SIGHUP.
            try (MosquittoBroker m = mosquitto(json)) {
                ctrl(m.port(), "setClientPassword", "alice", "new-pass");
            }
            assertThat(login(vane.port(0), "alice", "new-pass", "x")).as("before the reload").isEqualTo("0x87");
            assertThat(vane.reloadSecurity()).isNull();
            assertThat(login(vane.port(0), "alice", "new-pass", "x")).isEqualTo("ok");
        }
        // The probes mean something: the answers Mosquitto gave.
        assertThat(onMosquitto).contains("login alice apass: ok", "login alice wrong: 0x87", "login bob bpass bobid: ok",
                "login bob bpass other: 0x87", "login carol cpass: 0x87", "login nobody x: 0x87", "login anonymous: ok",
                "alice publish sensors/a: ok", "alice publish sensors/secret: 0x87", "alice publish lobby/x: 0x87",
                "alice subscribe sensors/+/t: ok", "alice subscribe other/#: 0x87", "bob publish lobby/x: ok",
                "bob subscribe lobby/#: 0x87", "anonymous publish lobby/x: ok", "alice first receives: sensors/public");
    }

    private static Mqtt5BlockingClient client(int port, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .buildBlocking();
    }

    private static String code(int c) {
        return c < 0x80 ? "ok" : String.format("0x%02x", c);
    }

    private static String login(int port, String user, String password, String id) {
        Mqtt5BlockingClient c = client(port, id);
        try {
            if (user == null) {
                c.connect();
            } else {
                c.connectWith().simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth().send();
            }
            c.disconnect();
            return "ok";
        } catch (Mqtt5ConnAckException e) {
            return code(e.getMqttMessage().getReasonCode().getCode());
        }
    }

    private static String publish(Mqtt5BlockingClient c, String topic) {
        try {
            Mqtt5Qos1Result r = (Mqtt5Qos1Result) c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {1}).send();
            return code(r.getPubAck().getReasonCode().getCode());
        } catch (Mqtt5PubAckException e) {
            return code(e.getMqttMessage().getReasonCode().getCode());
        }
    }

    private static String subscribe(Mqtt5BlockingClient c, String filter) {
        try {
            return code(c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes().get(0)
                    .getCode());
        } catch (Mqtt5SubAckException e) {
            return code(e.getMqttMessage().getReasonCodes().get(0).getCode());
        }
    }

    private static List<String> probes(int port) throws Exception {
        List<String> out = new ArrayList<>();
        out.add("login alice apass: " + login(port, "alice", "apass", "p-alice"));
        out.add("login alice wrong: " + login(port, "alice", "wrong", "p-alice"));
        out.add("login bob bpass bobid: " + login(port, "bob", "bpass", "bobid"));
        out.add("login bob bpass other: " + login(port, "bob", "bpass", "other"));
        out.add("login carol cpass: " + login(port, "carol", "cpass", "p-carol"));
        out.add("login nobody x: " + login(port, "nobody", "x", "p-nobody"));
        out.add("login anonymous: " + login(port, null, null, "p-anon"));
        out.add("login admin: " + login(port, "admin", "admin-secret", "p-admin"));
        String[][] as = {{"alice", "apass", "p-alice"}, {"bob", "bpass", "bobid"}, {null, null, "p-anon"}};
        for (String[] who : as) {
            Mqtt5BlockingClient c = client(port, who[2]);
            if (who[0] == null) {
                c.connect();
            } else {
                c.connectWith().simpleAuth().username(who[0]).password(who[1].getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth().send();
            }
            String name = who[0] == null ? "anonymous" : who[0];
            for (String t : List.of("sensors/a", "sensors/secret", "lobby/x", "other/x")) {
                out.add(name + " publish " + t + ": " + publish(c, t));
            }
            for (String f : List.of("sensors/#", "sensors/+/t", "other/#", "lobby/news", "lobby/#")) {
                out.add(name + " subscribe " + f + ": " + subscribe(c, f));
            }
            c.disconnect();
        }
        // Delivery: alice's role denies her sensors/hidden; publishClientReceive's default lets sensors/public through.
        Mqtt5BlockingClient alice = client(port, "p-alice-rx");
        alice.connectWith().simpleAuth().username("alice").password("apass".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        try (var got = alice.publishes(MqttGlobalPublishFilter.ALL)) {
            alice.subscribeWith().topicFilter("sensors/#").qos(MqttQos.AT_LEAST_ONCE).send();
            publish(alice, "sensors/hidden");
            publish(alice, "sensors/public");
            out.add("alice first receives: " + got.receive(10, TimeUnit.SECONDS).map(m -> m.getTopic().toString())
                    .orElse("nothing"));
        }
        alice.disconnect();
        return out;
    }
}
