package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.BrokerFixture;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Poll;
import io.vane.testkit.Processes;
import io.vane.testkit.Processes.Background;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's mosquitto_pub and mosquitto_sub against Vane, each scenario also run against Debian's
 * mosquitto broker: the two must print the same.
 */
class MosquittoClientsTest {
    static BrokerFixture vane;
    static MosquittoBroker mosquitto;

    @BeforeAll
    static void start() {
        vane = BrokerFixture.start();
        mosquitto = MosquittoBroker.start(List.of());
    }

    @AfterAll
    static void stop() {
        vane.close();
        mosquitto.close();
    }

    /** Runs one scenario against a port and returns what mosquitto_sub printed. */
    private static String scenario(int port, String version, String topic) throws Exception {
        String p = Integer.toString(port);
        Processes.run(10, "mosquitto_pub", "-h", "127.0.0.1", "-p", p, "-V", version, "-t", topic + "/retained",
                "-m", "kept", "-r", "-q", "1");
        try (Background sub = Processes.start("mosquitto_sub", "-h", "127.0.0.1", "-p", p, "-V", version, "-t",
                topic + "/#", "-v", "-q", "2", "-C", "4", "-W", "10")) {
            // Wait for the retained message: the subscription is in place.
            assertThat(Poll.until(Duration.ofSeconds(5), () -> sub.output().contains("kept"))).isTrue();
            for (int qos = 0; qos <= 2; qos++) {
                Processes.Result r = Processes.run(10, "mosquitto_pub", "-h", "127.0.0.1", "-p", p, "-V", version,
                        "-t", topic + "/q" + qos, "-m", "hello " + qos, "-q", Integer.toString(qos));
                assertThat(r.exitCode()).as(r.stderr()).isZero();
            }
            assertThat(sub.await(10)).isZero();
            Processes.run(10, "mosquitto_pub", "-h", "127.0.0.1", "-p", p, "-V", version, "-t", topic + "/retained",
                    "-n", "-r");
            return sub.output();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5", "mqttv31"})
    void publishSubscribeAndRetainBehaveAsOnMosquitto(String version) throws Exception {
        IntFunction<String> topic = port -> "cli/" + version;
        String onVane = scenario(vane.port(), version, topic.apply(0));
        String onMosquitto = scenario(mosquitto.port(), version, topic.apply(0));
        assertThat(onVane).isEqualTo(onMosquitto);
        assertThat(onVane).contains("cli/" + version + "/retained kept", "cli/" + version + "/q2 hello 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void sysTopicsAnswerWithMosquittosNames(String version) {
        try (BrokerFixture withSys = BrokerFixture.start(s -> s.withSysInterval(1))) {
            Processes.Result r = Processes.run(15, "mosquitto_sub", "-h", "127.0.0.1", "-p",
                    Integer.toString(withSys.port()), "-V", version, "-t", "$SYS/broker/#", "-v", "-W", "3");
            String out = r.stdout();
            for (String name : List.of("$SYS/broker/version vane version", "$SYS/broker/uptime",
                    "$SYS/broker/clients/connected 1", "$SYS/broker/clients/total", "$SYS/broker/messages/received",
                    "$SYS/broker/messages/sent", "$SYS/broker/subscriptions/count", "$SYS/broker/retained messages/count",
                    "$SYS/broker/load/messages/received/1min")) {
                assertThat(out).as(name).contains(name);
            }
        }
    }
}
