package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plain-HTTP side of a running Vane's websockets listener, through the JDK's HTTP client. */
class HttpOnWebSocketPortTest {
    static WsBroker broker;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        broker = new WsBroker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.wsPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusReportsVersionListenersClientsAndMessages() throws Exception {
        HttpResponse<String> r = get("/api/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.body()).contains("\"version\":\"")
                .contains("{\"port\":" + broker.tcpPort() + ",\"protocol\":\"mqtt\"}")
                .contains("{\"port\":" + broker.wsPort() + ",\"protocol\":\"websockets\"}")
                .contains("\"clients\":{\"connected\":")
                .contains("\"messages\":{\"received\":");
    }

    @Test
    void pahoJsIsServedFromItsWebJar() throws Exception {
        HttpResponse<String> r = get("/webjars/paho-mqtt/1.1.0/paho-mqtt.js");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(r.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
        assertThat(r.body()).contains("Paho");
    }

    @Test
    void testPageIsServedFromTheClasspathFolder() throws Exception {
        HttpResponse<String> r = get("/test/paho.html");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("/webjars/paho-mqtt/1.1.0/paho-mqtt.js");
        assertThat(get("/test/").statusCode()).isEqualTo(404);
        assertThat(get("/no/such/file.js").statusCode()).isEqualTo(404);
    }
}
