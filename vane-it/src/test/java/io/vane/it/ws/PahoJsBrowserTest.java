package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser: Debian's headless Chromium loads a page from Vane's HTTP side, whose Paho JS (from
 * the WebJar, served under /webjars/) connects over WebSockets and receives 1,000 QoS 1 messages
 * published by Paho Java over TCP, all of them and in order. Playwright drives the system Chromium and
 * never downloads a browser of its own.
 */
@org.junit.jupiter.api.extension.ExtendWith(PageLog.OnFailure.class)
class PahoJsBrowserTest {
    static final int MESSAGES = 1000;

    @TempDir
    Path profile;

    @Test
    void browserReceivesAThousandQos1MessagesInOrder() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        try (WsBroker broker = new WsBroker();
                Playwright pw = Chromium.playwright();
                // A fresh profile folder per run: Playwright passes it as --user-data-dir.
                BrowserContext browser = Chromium.launch(pw, profile, o -> o)) {
            Page page = browser.newPage();
            PageLog.attach(page);
            page.navigate("http://127.0.0.1:" + broker.wsPort() + "/test/paho.html?topic=it/browser");
            page.waitForFunction("() => window.vaneTest.subscribed || window.vaneTest.errors.length > 0", null,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertThat(page.evaluate("() => window.vaneTest.errors")).asList().isEmpty();

            MqttClient publisher = new MqttClient(broker.tcpUri(), "browser-feeder", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            // Paho Java frees an in-flight slot only after it wakes the publisher: leave room for that race.
            o.setMaxInflight(1000);
            publisher.connect(o);
            for (int i = 0; i < MESSAGES; i++) {
                publisher.publish("it/browser", String.valueOf(i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
            publisher.disconnect();

            page.waitForFunction("n => window.vaneTest.received.length >= n", MESSAGES,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            @SuppressWarnings("unchecked")
            List<Object> received = (List<Object>) page.evaluate("() => window.vaneTest.received");
            assertThat(received).containsExactlyElementsOf(
                    IntStream.range(0, MESSAGES).mapToObj(String::valueOf).map(Object.class::cast).toList());
            assertThat(page.textContent("#count")).isEqualTo(String.valueOf(MESSAGES));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "paho-js-browser.png")));
        }
    }

    /**
     * The secure default (no config): the page reads weather/# anonymously, and its publish is
     * acknowledged and dropped (MQTT 3.1.1 has no way to refuse), so no subscriber ever sees it.
     */
    @Test
    void secureDefaultLetsThePageReadButNotPublish() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        try (WsBroker broker = new WsBroker(java.util.function.UnaryOperator.identity(),
                        io.vane.app.config.SecurityConfig.secureDefault());
                Playwright pw = Chromium.playwright();
                BrowserContext browser = Chromium.launch(pw, profile, o -> o)) {
            java.util.concurrent.BlockingQueue<String> tcpSeen = new java.util.concurrent.LinkedBlockingQueue<>();
            MqttClient watcher = new MqttClient(broker.tcpUri(), "tcp-watcher", new MemoryPersistence());
            watcher.connect();
            watcher.subscribe("weather/#", 1, (t, m) -> tcpSeen.add(new String(m.getPayload(), StandardCharsets.UTF_8)));

            Page page = browser.newPage();
            PageLog.attach(page);
            page.navigate("http://127.0.0.1:" + broker.wsPort() + "/test/paho.html?topic=weather/loop");
            page.waitForFunction("() => window.vaneTest.subscribed || window.vaneTest.errors.length > 0", null,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertThat(page.evaluate("() => window.vaneTest.errors")).asList().isEmpty();

            broker.vane.broker().publish("weather/loop", "{\"outTemp_F\": \"61.2\"}", 1, true);
            page.waitForFunction("() => window.vaneTest.received.length >= 1", null,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertThat(tcpSeen.poll(5, java.util.concurrent.TimeUnit.SECONDS)).contains("61.2");

            page.evaluate("() => { const m = new Paho.Message('from the page'); m.destinationName = 'weather/loop';"
                    + " m.qos = 1; client.send(m); }");
            assertThat(tcpSeen.poll(1, java.util.concurrent.TimeUnit.SECONDS)).as("the page cannot publish").isNull();
            assertThat(page.evaluate("() => window.vaneTest.errors")).asList().as("the page stays connected").isEmpty();
            watcher.disconnect();
        }
    }
}
