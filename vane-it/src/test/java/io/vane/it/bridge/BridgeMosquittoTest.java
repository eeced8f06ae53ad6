package io.vane.it.bridge;

import static io.vane.it.bridge.BridgeTestKit.client;
import static io.vane.it.bridge.BridgeTestKit.collect;
import static io.vane.it.bridge.BridgeTestKit.disconnect;
import static io.vane.it.bridge.BridgeTestKit.freePort;
import static io.vane.it.bridge.BridgeTestKit.publish;
import static io.vane.it.bridge.BridgeTestKit.quietly;
import static io.vane.it.bridge.BridgeTestKit.vane;
import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.broker.bridge.BridgeStats;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vane's bridges against Debian's mosquitto, in both roles: the seed's house-to-proxy lines, every
 * direction with prefixes and QoS, 3.1.1 and 5.0, no echo in {@code both}, notifications, and a queue
 * that waits for a remote broker that is down.
 */
class BridgeMosquittoTest {
    @TempDir
    Path dir;

    /** The seed's three lines, verbatim but for the address: the proxy reads the house, never writes to it. */
    @Test
    void seedLinesPullFromAMosquittoHouseAndNothingGoesBack() throws Exception {
        try (MosquittoBroker house = MosquittoBroker.start(List.of())) {
            int proxyPort = freePort();
            MqttClient meter = client(house.port(), "meter");
            publish(meter, "/dsmr/power", "1.23", 1, true);
            try (Vane proxy = vane(dir, "proxy", "listener " + proxyPort + " 127.0.0.1\nallow_anonymous true\n"
                    + "connection domotica\naddress 127.0.0.1:" + house.port() + "\ntopic /# in\n")) {
                MqttClient browser = client(proxyPort, "browser");
                BridgeTestKit.Collected page = collect(browser, "/#", 0);
                assertThat(page.awaitContains("/dsmr/power 1.23")).as("the retained value crossed: %s",
                        page.snapshot()).isTrue();
                publish(meter, "/dsmr/power", "1.30", 1, false);
                assertThat(page.awaitContains("/dsmr/power 1.30")).as("a live value crossed").isTrue();

                BridgeTestKit.Collected houseSide = collect(meter, "/#", 1);
                publish(browser, "/dsmr/command", "open the door", 1, false);
                publish(meter, "/marker", "after", 1, false);
                assertThat(houseSide.awaitContains("/marker after")).isTrue();
                assertThat(houseSide.snapshot()).as("nothing published on the proxy reaches the house")
                        .noneMatch(l -> l.startsWith("/dsmr/command"));
                assertThat(proxy.bridges().get(0).stats().state()).isEqualTo(BridgeStats.State.CONNECTED);
                assertThat(Poll.until(Duration.ofSeconds(5), () -> house.log().contains("New bridge connected")))
                        .as("mosquitto saw a bridge (try_private): %s", house.log()).isTrue();
                disconnect(browser);
            } finally {
                disconnect(meter);
            }
        }
    }

    /** The same lines with a Vane house broker: Vane to Vane. */
    @Test
    void seedLinesPullFromAVaneHouse() throws Exception {
        int housePort = freePort();
        int proxyPort = freePort();
        try (Vane house = vane(dir, "house", "listener " + housePort + " 127.0.0.1\nallow_anonymous true\n");
                Vane proxy = vane(dir, "proxy", "listener " + proxyPort + " 127.0.0.1\nallow_anonymous true\n"
                        + "connection domotica\naddress 127.0.0.1:" + housePort + "\ntopic /# in\n")) {
            MqttClient browser = client(proxyPort, "browser");
            BridgeTestKit.Collected page = collect(browser, "/#", 1);
            MqttClient meter = client(housePort, "meter");
            BridgeTestKit.Collected houseSide = collect(meter, "/#", 1);
            assertThat(Poll.until(Duration.ofSeconds(15), () -> proxy.bridges().get(0).stats().state()
                    == BridgeStats.State.CONNECTED)).isTrue();
            publish(meter, "/dsmr/power", "2.5", 1, false);
            assertThat(page.awaitContains("/dsmr/power 2.5")).as("%s", page.snapshot()).isTrue();
            publish(browser, "/dsmr/command", "open", 1, false);
            publish(meter, "/marker", "after", 1, false);
            assertThat(houseSide.awaitContains("/marker after")).isTrue();
            assertThat(houseSide.snapshot()).noneMatch(l -> l.startsWith("/dsmr/command"));
            disconnect(browser);
            disconnect(meter);
        }
    }

    /**
     * Out with prefixes at each QoS, on 3.1.1 and 5.0: the local topic loses its prefix and gains the
     * remote one, and every message arrives once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv50", "mqttv31"})
    void outWithPrefixesAtEveryQos(String protocol) throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(List.of())) {
            int port = freePort();
            try (Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                    + "connection public\naddress 127.0.0.1:" + remote.port() + "\nbridge_protocol_version " + protocol
                    + "\ntopic sensors/# out 2 house/ public/\n")) {
                MqttClient reader = client(remote.port(), "reader");
                BridgeTestKit.Collected got = collect(reader, "#", 2);
                assertThat(Poll.until(Duration.ofSeconds(15), () -> local.bridges().get(0).stats().state()
                        == BridgeStats.State.CONNECTED)).isTrue();
                MqttClient sensor = client(port, "sensor");
                for (int qos = 0; qos <= 2; qos++) {
                    publish(sensor, "house/sensors/t" + qos, "q" + qos, qos, false);
                }
                publish(sensor, "house/other", "not bridged", 1, false);
                publish(sensor, "house/sensors/last", "end", 1, false);
                // Each awaited by itself: messages of different QoS need not arrive in the order sent (MQTT
                // orders per topic and QoS), and mosquitto hands a QoS 2 message on only after PUBREL, so
                // a later QoS 1 message may overtake it.
                for (String line : List.of("public/sensors/t0 q0", "public/sensors/t1 q1", "public/sensors/t2 q2",
                        "public/sensors/last end")) {
                    assertThat(got.awaitContains(line)).as("%s in %s", line, got.snapshot()).isTrue();
                }
                assertThat(got.snapshot()).noneMatch(l -> l.contains("not bridged") || l.startsWith("house/"));
                assertThat(got.snapshot()).filteredOn(l -> l.startsWith("public/sensors/t2")).hasSize(1);
                disconnect(sensor);
                disconnect(reader);
            }
        }
    }

    /** {@code both}: each side's messages reach the other side once and never come back (No Local, try_private). */
    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv50"})
    void bothWaysWithoutEcho(String protocol) throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(List.of())) {
            int port = freePort();
            try (Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                    + "connection peer\naddress 127.0.0.1:" + remote.port() + "\nbridge_protocol_version " + protocol
                    + "\ntopic chat/# both 1\n")) {
                assertThat(Poll.until(Duration.ofSeconds(15), () -> local.bridges().get(0).stats().state()
                        == BridgeStats.State.CONNECTED)).isTrue();
                MqttClient here = client(port, "here");
                BridgeTestKit.Collected atHere = collect(here, "chat/#", 1);
                MqttClient there = client(remote.port(), "there");
                BridgeTestKit.Collected atThere = collect(there, "chat/#", 1);
                // The remote subscription is made after CONNACK: wait until a message from there crosses.
                assertThat(Poll.until(Duration.ofSeconds(15), () -> {
                    try {
                        publish(there, "chat/probe", "p", 1, false);
                    } catch (Exception e) {
                        return false;
                    }
                    return atHere.lines.contains("chat/probe p");
                })).isTrue();
                publish(here, "chat/a", "from here", 1, false);
                publish(there, "chat/b", "from there", 1, false);
                assertThat(atThere.awaitContains("chat/a from here")).isTrue();
                assertThat(atHere.awaitContains("chat/b from there")).isTrue();
                publish(here, "chat/end", "x", 1, false);
                assertThat(atThere.awaitContains("chat/end x")).isTrue();
                assertThat(atHere.awaitContains("chat/end x")).isTrue();
                assertThat(atHere.snapshot()).filteredOn(l -> l.equals("chat/a from here")).hasSize(1);
                assertThat(atThere.snapshot()).filteredOn(l -> l.equals("chat/b from there")).hasSize(1);
                assertThat(atHere.snapshot()).filteredOn(l -> l.equals("chat/end x")).hasSize(1);
                disconnect(here);
                disconnect(there);
            }
        }
    }

    /**
     * Mosquitto bridging into Vane: on 3.1.1 with try_private (Vane sees the bridge mark), on 5.0 with
     * No Local; either way nothing comes back.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv50"})
    void mosquittoBridgesIntoVaneWithoutEcho(String protocol) throws Exception {
        int port = freePort();
        try (Vane vane = vane(dir, "public", "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
                MosquittoBroker house = MosquittoBroker.start(List.of("connection to-vane",
                        "address 127.0.0.1:" + port, "try_private true", "cleansession false",
                        "bridge_protocol_version " + protocol, "topic home/# both 1"))) {
            MqttClient atVane = client(port, "vane-reader");
            BridgeTestKit.Collected vaneGot = collect(atVane, "home/#", 1);
            MqttClient atHouse = client(house.port(), "house-reader");
            BridgeTestKit.Collected houseGot = collect(atHouse, "home/#", 1);
            assertThat(Poll.until(Duration.ofSeconds(20), () -> {
                try {
                    publish(atHouse, "home/probe", "p", 1, false);
                } catch (Exception e) {
                    return false;
                }
                return vaneGot.lines.contains("home/probe p");
            })).as("mosquitto's bridge reached Vane").isTrue();
            publish(atHouse, "home/temp", "21", 1, false);
            publish(atVane, "home/cmd", "on", 1, false);
            assertThat(vaneGot.awaitContains("home/temp 21")).isTrue();
            assertThat(houseGot.awaitContains("home/cmd on")).isTrue();
            publish(atHouse, "home/end", "x", 1, false);
            assertThat(vaneGot.awaitContains("home/end x")).isTrue();
            assertThat(houseGot.awaitContains("home/end x")).isTrue();
            assertThat(houseGot.snapshot()).as("no echo back into the house")
                    .filteredOn(l -> l.equals("home/temp 21")).hasSize(1);
            assertThat(vaneGot.snapshot()).filteredOn(l -> l.equals("home/cmd on")).hasSize(1);
            disconnect(atVane);
            disconnect(atHouse);
        }
    }

    /** Retained 1/0 on both sides' state topic, and the remote's Will when the bridge drops. */
    @Test
    void notificationsOnBothSides() throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(List.of())) {
            int port = freePort();
            Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                    + "connection house\naddress 127.0.0.1:" + remote.port() + "\nremote_clientid house-bridge\n"
                    + "topic x/# out\n");
            try {
                MqttClient here = client(port, "here");
                BridgeTestKit.Collected localState = collect(here, "$SYS/broker/connection/#", 1);
                MqttClient there = client(remote.port(), "there");
                BridgeTestKit.Collected remoteState = collect(there, "$SYS/broker/connection/#", 1);
                assertThat(localState.awaitContains("$SYS/broker/connection/house-bridge/state 1")).isTrue();
                assertThat(remoteState.awaitContains("$SYS/broker/connection/house-bridge/state 1")).isTrue();
                disconnect(here);
                local.close();
                assertThat(remoteState.awaitContains("$SYS/broker/connection/house-bridge/state 0"))
                        .as("a normal stop: the state is 0 at the remote broker too (%s)", remoteState.snapshot())
                        .isTrue();
                disconnect(there);
            } finally {
                quietly(local);
            }
        }
    }

    /**
     * Messages published while the remote broker is down wait in the bridge's session, within its own
     * queue limit (bridge_max_queued_messages), and cross once it is up.
     */
    @Test
    void messagesWaitForARemoteThatIsDown() throws Exception {
        int remotePort = freePort();
        int port = freePort();
        // The global queue limit would drop 40 of the 50; the bridge's own limit keeps them all.
        try (Vane local = vane(dir, "local", "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + "max_queued_messages 10\nconnection later\naddress 127.0.0.1:" + remotePort
                + "\nrestart_timeout 1\nbridge_max_queued_messages 1000\ntopic q/# out 1\n")) {
            MqttClient sensor = client(port, "sensor");
            for (int i = 0; i < 50; i++) {
                publish(sensor, "q/n", Integer.toString(i), 1, false);
            }
            assertThat(local.bridges().get(0).stats().state()).isNotEqualTo(BridgeStats.State.CONNECTED);
            Path rdir = dir.resolve("remote");
            java.nio.file.Files.createDirectories(rdir);
            try (MosquittoBroker remote = MosquittoBroker.start(remotePort, rdir, List.of())) {
                assertThat(Poll.until(Duration.ofSeconds(15), () -> remote.log().contains("New bridge connected")))
                        .isTrue();
                // The bridge's remote session is persistent (cleansession false): a reader that subscribes
                // after the queue drained would miss it, so the check is the bridge's own counter and then
                // a live message.
                assertThat(Poll.until(Duration.ofSeconds(15), () -> local.bridges().get(0).stats().messagesOut()
                        >= 50)).as("the 50 queued messages crossed").isTrue();
                MqttClient reader = client(remotePort, "reader");
                BridgeTestKit.Collected got = collect(reader, "q/#", 1);
                publish(sensor, "q/n", "live", 1, false);
                assertThat(got.awaitContains("q/n live")).isTrue();
                disconnect(reader);
            }
            disconnect(sensor);
        }
    }
}
