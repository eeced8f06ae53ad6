package io.vane.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.app.config.VaneConfig;
import io.vane.broker.BrokerSettings;
import io.vane.protocol.MqttVersion;
import io.vane.testkit.Poll;
import io.vane.testkit.RawClient;
import io.vane.testkit.TestCertificates;
import io.vane.transport.ListenerConfig;
import io.vane.transport.ListenerConfig.Protocol;
import io.vane.transport.tls.TlsSettings;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics of a running Vane with MQTT, TLS and websockets listeners and the durable store, read over
 * 127.0.0.1 with the JDK's HTTP client after real MQTT traffic.
 */
class MetricsEndpointTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    @TempDir
    static Path dir;
    static Vane vane;

    @BeforeAll
    static void start() {
        TestCertificates certs = TestCertificates.create(dir);
        certs.issue("server", "ec", true);
        TlsSettings tls = TlsSettings.of(dir.resolve("server.pem"), dir.resolve("server.key"));
        VaneConfig config = VaneConfig.defaults().withListeners(List.of(
                new ListenerConfig(0, "127.0.0.1", Protocol.MQTT, -1),
                new ListenerConfig(0, "127.0.0.1", Protocol.WEBSOCKETS, -1),
                new ListenerConfig(0, "127.0.0.1", Protocol.MQTT, -1).withTls(tls)))
                .withBroker(BrokerSettings.builder().persistence(true).persistenceLocation(dir.resolve("data")).build())
                .withSecurity(io.vane.app.config.SecurityConfig.anonymous(true));
        vane = Vane.start(config);
    }

    @AfterAll
    static void stop() {
        vane.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + vane.port(1) + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample {@code name} (with {@code labels} exactly, e.g. {port="1234"}, or none). */
    static double value(String body, String name, String labels) {
        Matcher m = SAMPLE.matcher(body);
        while (m.find()) {
            if (m.group(1).equals(name) && (labels == null ? m.group(2) == null : labels.equals(m.group(2)))) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError("no sample " + name + (labels == null ? "" : labels) + " in\n" + body);
    }

    @Test
    void brokerFiguresCountRealTraffic() throws Exception {
        try (RawClient c = RawClient.open("127.0.0.1", vane.port(0))) {
            assertThat(c.connect(MqttVersion.V3_1_1, "metrics-test").reasonCode()).isZero();
            vane.broker().publish("metrics/retained", "kept", 0, true);
            assertThat(Poll.until(Duration.ofSeconds(5), () -> vane.broker().retainedCount() >= 1)).isTrue();
            HttpResponse<String> r = get("/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
            assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
            String body = r.body();
            assertThat(value(body, "vane_clients_connected", null)).isGreaterThanOrEqualTo(1);
            assertThat(value(body, "vane_retained_messages", null)).isGreaterThanOrEqualTo(1);
            assertThat(value(body, "vane_packets_received_total", null)).isGreaterThanOrEqualTo(1);
            assertThat(value(body, "vane_received_bytes_total", null)).isGreaterThan(0);
            assertThat(body).contains("# TYPE vane_publish_dropped_total counter")
                    .contains("# TYPE vane_clients_connected gauge")
                    .contains("vane_build_info{version=\"" + Vane.version() + "\"} 1");
        }
    }

    @Test
    void everyNameHasThePrefixAndCountersEndInTotal() throws Exception {
        String body = get("/metrics").body();
        Matcher m = SAMPLE.matcher(body);
        int samples = 0;
        while (m.find()) {
            samples++;
            assertThat(m.group(1)).startsWith("vane_");
        }
        assertThat(samples).isGreaterThan(30);
        Matcher types = Pattern.compile("(?m)^# TYPE (\\S+) counter$").matcher(body);
        while (types.find()) {
            assertThat(types.group(1)).endsWith("_total");
        }
    }

    @Test
    void tlsCertificateExpiryIsTheSecondsLeftOnTheServedCertificate() throws Exception {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(dir.resolve("server.pem"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        double expected = (cert.getNotAfter().getTime() - System.currentTimeMillis()) / 1000.0;
        double seen = value(get("/metrics").body(), "vane_tls_certificate_expiry_seconds",
                "{port=\"" + vane.port(2) + "\"}");
        assertThat(seen).isBetween(expected - 60, expected + 60).isPositive();
    }

    @Test
    void eventLoopLagIsReportedForEveryLoop() throws Exception {
        assertThat(Poll.until(Duration.ofSeconds(5), () -> {
            try {
                return get("/metrics").body().contains("vane_event_loop_lag_seconds{loop=\"io-0\"}");
            } catch (Exception e) {
                return false;
            }
        })).isTrue();
        String body = get("/metrics").body();
        assertThat(value(body, "vane_event_loop_lag_seconds", "{loop=\"accept-0\"}")).isBetween(0.0, 10.0);
        assertThat(value(body, "vane_event_loop_lag_seconds", "{loop=\"io-0\"}")).isBetween(0.0, 10.0);
    }

    @Test
    void storeFiguresShowCommitsAndSize() throws Exception {
        vane.broker().publish("metrics/stored", "on disk", 1, true);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> {
            try {
                return value(get("/metrics").body(), "vane_store_commit_seconds_count", null) >= 1;
            } catch (Exception e) {
                return false;
            }
        })).as("a commit was timed").isTrue();
        String body = get("/metrics").body();
        assertThat(value(body, "vane_store_size_bytes", null)).isPositive();
        assertThat(value(body, "vane_store_failing", null)).isZero();
        assertThat(value(body, "vane_store_changes_total", null)).isGreaterThanOrEqualTo(1);
        assertThat(body).contains("vane_store_commit_seconds_bucket{le=\"0.001\"}");
    }
}
