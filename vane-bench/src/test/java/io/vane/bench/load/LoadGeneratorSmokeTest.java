package io.vane.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.app.config.VaneConfig;
import io.vane.transport.ListenerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The load generator against an in-process Vane on ephemeral ports, for a second at a tiny load: it
 * must connect over TCP and WebSocket, deliver everything, and print a RESULT line. The full benchmark
 * is bench/run, not part of the test suite.
 */
class LoadGeneratorSmokeTest {
    private static Vane vane;

    @BeforeAll
    static void start() {
        vane = Vane.start(VaneConfig.defaults()
                .withListeners(List.of(ListenerConfig.mqtt(0), ListenerConfig.websockets(0)))
                // The generator's clients are anonymous and publish: allow it, as Mosquitto's allow_anonymous true.
                .withSecurity(io.vane.app.config.SecurityConfig.anonymous(true)));
    }

    @AfterAll
    static void stop() {
        vane.close();
    }

    private static LoadResultLine run(String... args) {
        LoadGenerator g = new LoadGenerator();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        g.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        g.progress = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String[] common = {"--port", String.valueOf(vane.port(0)), "--ws-port", String.valueOf(vane.port(1)),
            "--warmup", "0.2", "--duration", "1"};
        String[] all = new String[common.length + args.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        int exit = new CommandLine(g).execute(all);
        assertThat(exit).isZero();
        return new LoadResultLine(bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void fanOutAtAFixedRateDeliversEverythingWithLatency() {
        LoadResultLine r = run("-P", "1", "-S", "5", "--rate", "200");
        assertThat(r.number("sent")).isGreaterThan(100);
        assertThat(r.number("received")).isEqualTo(r.number("sent") * 5);
        assertThat(r.number("loss")).isZero();
        assertThat(r.number("p99_us")).isPositive();
    }

    @Test
    void qos1PairsOverWebSocketLoseNothingAcknowledged() {
        LoadResultLine r = run("-P", "2", "-S", "2", "--qos", "1", "--transport", "ws", "--rate", "300",
                "--pub-topic", "bench/pair/{i}", "--sub-topic", "bench/pair/{i}");
        assertThat(r.number("acked")).isGreaterThan(100);
        assertThat(r.number("lost_acked")).as(r.output()).isZero();
        assertThat(r.number("received")).isEqualTo(r.number("sent"));
    }

    @Test
    void qos2FanInAtFullSpeed() {
        // A backlog of 3 x 200 stays under the default max_queued_messages (1000), which drops the newest.
        LoadResultLine r = run("-P", "3", "-S", "1", "--qos", "2", "--backlog", "200", "--pub-topic", "bench/in/{i}",
                "--sub-topic", "bench/in/+");
        assertThat(r.number("msgs_per_s")).isPositive();
        assertThat(r.number("lost_acked")).as(r.output()).isZero();
    }

    @Test
    void idleConnections() {
        LoadResultLine r = run("--connections", "50", "--hold", "0.1");
        assertThat(r.number("connections")).isEqualTo(50);
        assertThat(r.number("closed_by_broker")).isZero();
        assertThat(r.number("connects_per_s")).isPositive();
    }

    @Test
    void reportTabulatesMediansAndRatios() {
        String table = Report.table(List.of(
                "RESULT scenario=x broker=vane msgs_per_s=400 load1=1",
                "RESULT scenario=x broker=mosquitto msgs_per_s=100 load1=1",
                "RESULT scenario=x broker=vane msgs_per_s=800 load1=1",
                "RESULT scenario=x broker=mosquitto msgs_per_s=200 load1=1",
                "RESULT scenario=x broker=vane msgs_per_s=600 load1=1",
                "RESULT scenario=x broker=mosquitto msgs_per_s=150 load1=1"), "vane", "mosquitto");
        assertThat(table).contains("| x (3 rounds) | delivered msgs/s (higher is better) | 600 | 150 | 4.00 |");
    }

    /** The RESULT line of one run. */
    private record LoadResultLine(String output) {
        long number(String key) {
            for (String line : output.split("\n")) {
                if (line.startsWith("RESULT ")) {
                    for (String pair : line.split(" ")) {
                        if (pair.startsWith(key + "=")) {
                            return Math.round(Double.parseDouble(pair.substring(key.length() + 1)));
                        }
                    }
                    throw new AssertionError("no " + key + " in " + line);
                }
            }
            throw new AssertionError("no RESULT line in:\n" + output);
        }
    }
}
