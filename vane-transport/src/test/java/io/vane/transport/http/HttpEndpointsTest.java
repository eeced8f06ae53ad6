package io.vane.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.vane.broker.Broker;
import io.vane.transport.EventLoops;
import io.vane.transport.ListenerConfig;
import io.vane.transport.websocket.WebSocketPipeline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain HTTP on a websockets listener, spoken byte for byte so no client library tidies the paths. */
class HttpEndpointsTest {
    @TempDir
    static Path www;
    @TempDir
    static Path outside;

    static EventLoops loops;
    static Broker broker;
    static Channel server;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(www.resolve("page.html"), "<p>from http_dir</p>");
        Files.writeString(www.resolve("style.css"), "p{color:red}");
        Files.createDirectories(www.resolve("empty"));
        Files.writeString(outside.resolve("secret.txt"), "do not serve");
        loops = new EventLoops(1);
        broker = Broker.withDefaults();
        ListenerConfig listener = ListenerConfig.websockets(0).withHttpDir(www);
        StatusReport status = new StatusReport(broker, "test-1.2.3", System::currentTimeMillis,
                () -> List.of(new StatusReport.Listener(1883, "mqtt"), new StatusReport.Listener(port, "websockets")));
        HttpEndpoints http = new HttpEndpoints(new StaticContent(www, HttpEndpointsTest.class.getClassLoader()), status);
        server = new ServerBootstrap().group(loops.boss(), loops.workers()).channel(loops.serverChannelClass())
                .childHandler(new WebSocketPipeline(listener, 65536, http, p -> {
                    throw new AssertionError("no upgrade expected");
                }))
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterAll
    static void stop() {
        server.close().syncUninterruptibly();
        loops.close();
        broker.close();
    }

    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static Reply request(String method, String target, String... headers) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                h.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
            return new Reply(Integer.parseInt(lines[0].split(" ")[1]), h, text.substring(end + 4));
        }
    }

    @Test
    void historyRangeIsValidatedBeforeTheAclAndTheAclStillApplies() throws IOException {
        Reply bad = request("GET", "/api/history?topic=weather/loop&range=decade");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("400 Bad Request: range must be one of day, week, month, year\n");
        assertThat(request("GET", "/api/history?range=week&range=day").status()).as("one range").isEqualTo(400);
        assertThat(request("GET", "/api/history?since=soon").body()).contains("since must be");
        // This listener's anonymous client may read nothing: a good range is refused by the ACL as before.
        assertThat(request("GET", "/api/history?topic=weather/loop&range=week").status()).isEqualTo(403);
    }

    @Test
    void servesHttpDirFilesWithTypeAndValidators() throws IOException {
        Reply r = request("GET", "/page.html");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("<p>from http_dir</p>");
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("ETag")).isNotBlank();
        assertThat(r.header("Last-Modified")).endsWith("GMT");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(request("GET", "/style.css").header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    }

    @Test
    void unchangedFileIs304() throws IOException {
        String etag = request("GET", "/page.html").header("ETag");
        Reply r = request("GET", "/page.html", "If-None-Match: " + etag);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        String lastModified = request("GET", "/page.html").header("Last-Modified");
        assertThat(request("GET", "/page.html", "If-Modified-Since: " + lastModified).status()).isEqualTo(304);
        assertThat(request("GET", "/page.html", "If-None-Match: \"other\"").status()).isEqualTo(200);
    }

    @Test
    void classpathFolderIsServedBehindHttpDir() throws IOException {
        Reply index = request("GET", "/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("classpath index");
        Reply js = request("GET", "/app.js");
        assertThat(js.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(js.body()).contains("answer = 42");
    }

    @Test
    void webJarsAreServedWithLongCaching() throws IOException {
        Reply r = request("GET", "/webjars/demo/1.0/demo.js");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("window.demo");
        assertThat(r.header("Cache-Control")).contains("immutable");
    }

    @Test
    void headHasHeadersButNoBody() throws IOException {
        Reply r = request("HEAD", "/page.html");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo("20");
        assertThat(r.body()).isEmpty();
        Reply status = request("HEAD", "/api/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nothing.html", "/empty/", "/empty", "/sub/", "/sub", "/webjars/", "/webjars/demo/"})
    void missingFilesAndFoldersAre404WithoutListing(String path) throws IOException {
        Reply r = request("GET", path);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("readme").doesNotContain("demo.js");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
    void otherMethodsAre405(String method) throws IOException {
        Reply r = request(method, "/page.html", "Content-Length: 0");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../" , "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
            "/sub/../../secret.txt", "/..%5csecret.txt", "/\\..\\secret.txt", "/%00", "/./page.html",
            "//etc/passwd", "/C:/Windows/win.ini", "/%zz"})
    void traversalIsRefused(String path) throws IOException {
        Reply r = request("GET", path);
        assertThat(r.status()).isIn(400, 404);
        assertThat(r.body()).doesNotContain("do not serve");
    }

    @Test
    void absoluteFormOfTheOutsideFolderIsNotReachable() throws IOException {
        Reply r = request("GET", "/" + outside.resolve("secret.txt").toString().substring(1));
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void statusIsJson() throws IOException {
        Reply r = request("GET", "/api/status");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.body()).startsWith("{\"version\":\"test-1.2.3\",\"uptimeSeconds\":")
                .contains("\"listeners\":[{\"port\":1883,\"protocol\":\"mqtt\"},{\"port\":" + port
                        + ",\"protocol\":\"websockets\"}]")
                .contains("\"clients\":{\"connected\":0")
                .contains("\"messages\":{\"received\":0,\"sent\":0");
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            String two = "GET /api/status HTTP/1.1\r\nHost: x\r\n\r\nGET /app.js HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n";
            s.getOutputStream().write(two.getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(all.split("HTTP/1.1 200 OK", -1)).hasSize(3);
        }
    }
}
