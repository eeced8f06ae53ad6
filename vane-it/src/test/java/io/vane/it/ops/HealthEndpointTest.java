package io.vane.it.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vane.app.Vane;
import io.vane.app.config.OpsSettings;
import io.vane.app.config.VaneConfig;
import io.vane.transport.ListenerConfig;
import io.vane.transport.ListenerConfig.Protocol;
import io.vane.transport.ops.AddressRule;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * /health/live and /health/ready over real HTTP, and who may read them and /metrics: loopback, networks
 * an http_*_allow option lists, and never a request a proxy forwarded from elsewhere.
 */
class HealthEndpointTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Vane start(String bindAddress, OpsSettings ops) {
        VaneConfig config = VaneConfig.defaults().withListeners(List.of(
                new ListenerConfig(0, bindAddress, Protocol.WEBSOCKETS, -1)));
        return Vane.start(config.withApp(config.app().withOps(ops)));
    }

    private static HttpResponse<String> get(String host, int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of this machine that is not loopback: a connection to it comes from it, not from 127/8. */
    private static Optional<InetAddress> ownNonLoopbackAddress() throws Exception {
        for (NetworkInterface nif : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void liveAndReadyAnswer200WithStatusOkOnLoopback() throws Exception {
        try (Vane vane = start("127.0.0.1", OpsSettings.LOOPBACK)) {
            HttpResponse<String> live = get("127.0.0.1", vane.port(0), "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(live.body()).isEqualTo("{\"status\":\"ok\"}\n");
            HttpResponse<String> ready = get("127.0.0.1", vane.port(0), "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ok\"}\n");
        }
    }

    @Test
    void readyIs503WithTheReasonOnceShutdownBegins() throws Exception {
        try (Vane vane = start("127.0.0.1", OpsSettings.LOOPBACK)) {
            vane.operations().markStopping();
            HttpResponse<String> ready = get("127.0.0.1", vane.port(0), "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("{\"status\":\"fail\",\"reasons\":[\"shutting down\"]}\n");
            assertThat(get("127.0.0.1", vane.port(0), "/health/live").statusCode())
                    .as("still alive while it stops").isEqualTo(200);
        }
    }

    @Test
    void aRequestForwardedByAnUntrustedProxyOnThisMachineIsRefused() throws Exception {
        try (Vane vane = start("127.0.0.1", OpsSettings.LOOPBACK)) {
            for (String path : List.of("/metrics", "/health/live", "/health/ready")) {
                HttpResponse<String> r = get("127.0.0.1", vane.port(0), path, "X-Forwarded-For", "203.0.113.9");
                assertThat(r.statusCode()).as(path).isEqualTo(403);
                assertThat(r.body()).contains("loopback");
            }
            assertThat(get("127.0.0.1", vane.port(0), "/api/status", "X-Forwarded-For", "203.0.113.9").statusCode())
                    .as("the public status page is not affected").isEqualTo(200);
        }
    }

    @Test
    void aTrustedProxyNamingAClientInAnAllowedNetworkIsLetThrough() throws Exception {
        VaneConfig config = VaneConfig.defaults().withListeners(List.of(
                new ListenerConfig(0, "127.0.0.1", Protocol.WEBSOCKETS, -1).withTrustedProxies(List.of("127.0.0.1"))));
        OpsSettings ops = new OpsSettings(AddressRule.loopbackAnd(List.of("198.51.100.0/24")), AddressRule.LOOPBACK);
        try (Vane vane = Vane.start(config.withApp(config.app().withOps(ops)))) {
            int port = vane.port(0);
            assertThat(get("127.0.0.1", port, "/metrics", "X-Forwarded-For", "198.51.100.7").statusCode())
                    .isEqualTo(200);
            assertThat(get("127.0.0.1", port, "/metrics", "X-Forwarded-For", "203.0.113.9").statusCode())
                    .isEqualTo(403);
            assertThat(get("127.0.0.1", port, "/health/live", "X-Forwarded-For", "198.51.100.7").statusCode())
                    .as("http_health_allow is its own option").isEqualTo(403);
        }
    }

    @Test
    void aClientOnAnotherAddressIsRefusedUnlessAnOptionAllowsIt() throws Exception {
        Optional<InetAddress> own = ownNonLoopbackAddress();
        assumeTrue(own.isPresent(), "this machine has no non-loopback IPv4 address to connect from");
        String host = own.get().getHostAddress();
        try (Vane vane = start(host, OpsSettings.LOOPBACK)) {
            for (String path : List.of("/metrics", "/health/live", "/health/ready")) {
                HttpResponse<String> r = get(host, vane.port(0), path);
                assertThat(r.statusCode()).as(path + " from " + host).isEqualTo(403);
                assertThat(r.body()).contains("http_");
            }
            assertThat(get(host, vane.port(0), "/api/status").statusCode()).isEqualTo(200);
        }
        OpsSettings allowed = new OpsSettings(AddressRule.loopbackAnd(List.of(host + "/32")),
                AddressRule.loopbackAnd(List.of(host)));
        try (Vane vane = start(host, allowed)) {
            assertThat(get(host, vane.port(0), "/metrics").statusCode()).isEqualTo(200);
            assertThat(get(host, vane.port(0), "/health/ready").statusCode()).isEqualTo(200);
        }
    }
}
