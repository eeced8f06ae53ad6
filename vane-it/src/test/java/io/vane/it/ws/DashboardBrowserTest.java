package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vane's own page in Debian's Chromium, against the secure default: no console errors, no request to
 * another host, "Connecting…" then live values, unit switch, converted correctly.
 */
@org.junit.jupiter.api.extension.ExtendWith(PageLog.OnFailure.class)
class DashboardBrowserTest {

    @TempDir
    Path profile;

    @Test
    void pageShowsLiveConvertedWeatherFromItsOwnOrigin() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        try (WsBroker broker = new WsBroker(java.util.function.UnaryOperator.identity(),
                        io.vane.app.config.SecurityConfig.secureDefault());
                Playwright pw = Chromium.playwright();
                BrowserContext browser = Chromium.launch(pw, profile, o -> o)) {
            Page page = browser.newPage();
            PageLog.attach(page);
            List<String> errors = new ArrayList<>();
            List<String> foreign = new ArrayList<>();
            String origin = "http://127.0.0.1:" + broker.wsPort();
            page.onConsoleMessage(m -> {
                if (m.type().equals("error")) {
                    errors.add(m.text());
                }
            });
            page.onPageError(errors::add);
            page.onRequest(r -> {
                if (!r.url().startsWith(origin) && !r.url().startsWith("ws://127.0.0.1:" + broker.wsPort())) {
                    foreign.add(r.url());
                }
            });
            // History published before the page opens: the charts start full.
            for (int i = 0; i < 30; i++) {
                broker.vane.broker().publish("weather/loop", "{\"outTemp_F\": \"" + (50 + i) + "\","
                        + " \"barometer_inHg\": \"30.01\", \"windSpeed_mph\": \"4\"}", 0, false);
            }
            // The page's clock is the test's: it still runs, and runFor fires its timers at once.
            page.clock().install();
            page.navigate(origin + "/");
            page.waitForFunction("() => Number(document.body.dataset.historyPoints) >= 30", null,
                    new Page.WaitForFunctionOptions().setTimeout(10_000));
            assertThat(page.locator("#chart-temp canvas").count()).isEqualTo(1);
            assertThat(page.getAttribute("[data-range=day]", "aria-pressed")).isEqualTo("true");

            // The range buttons, from the keyboard: Week is asked for; this Vane (persistence false)
            // keeps only the day, which the charts show with a note saying so. Then back to the day.
            page.focus("[data-range=week]");
            page.keyboard().press("Enter");
            page.waitForFunction("() => document.body.dataset.historyRange === 'week'", null,
                    new Page.WaitForFunctionOptions().setTimeout(10_000));
            assertThat(page.getAttribute("[data-range=week]", "aria-pressed")).isEqualTo("true");
            assertThat(page.getAttribute("[data-range=day]", "aria-pressed")).isEqualTo("false");
            assertThat(page.getAttribute("#charts", "aria-label")).isEqualTo("Last 7 days, 5-minute averages");
            assertThat(page.isVisible("#range-note")).isTrue();
            assertThat(page.textContent("#range-note")).contains("only the last 24 hours");
            assertThat(page.locator("#chart-temp canvas").count()).isEqualTo(1);
            page.click("[data-range=day]");
            page.waitForFunction("() => document.body.dataset.historyRange === 'day'"
                    + " && Number(document.body.dataset.historyPoints) >= 30", null,
                    new Page.WaitForFunctionOptions().setTimeout(10_000));
            assertThat(page.isVisible("#range-note")).isFalse();
            assertThat(page.textContent("#status")).isIn("Connecting…", "Connected — waiting for data on weather/loop",
                    "Live — updated 0 s ago");
            page.waitForFunction("() => /^(Connected|Live)/.test(document.getElementById('status').textContent)", null,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-waiting.png")));

            // A US packet: 68 °F, 29.92 inHg, 10 mph.
            broker.vane.broker().publish("weather/loop", "{\"dateTime\": \"1700000000\", \"usUnits\": \"1\","
                    + " \"outTemp_F\": \"68.0\", \"barometer_inHg\": \"29.92\", \"windSpeed_mph\": \"10.0\","
                    + " \"windDir\": \"270\", \"outHumidity\": \"50\"}", 0, true);
            page.waitForFunction("() => document.getElementById('outTemp').textContent === '68.0 °F'", null,
                    new Page.WaitForFunctionOptions().setTimeout(5_000));
            assertThat(page.textContent("#status")).startsWith("Live — updated");
            assertThat(page.textContent("#windDir")).isEqualTo("W");
            page.click("#units");
            assertThat(page.textContent("#outTemp")).isEqualTo("20.0 °C");
            assertThat(page.textContent("#barometer")).isEqualTo("1013.2 hPa");
            assertThat(page.textContent("#windSpeed")).isEqualTo("16.1 km/h");

            // A METRIC packet (usUnits 16) arrives and shows in the chosen units.
            broker.vane.broker().publish("weather/loop", "{\"usUnits\": \"16\", \"outTemp_C\": \"-3.5\","
                    + " \"barometer_mbar\": \"1001.0\"}", 0, true);
            page.waitForFunction("() => document.getElementById('outTemp').textContent === '-3.5 °C'", null,
                    new Page.WaitForFunctionOptions().setTimeout(5_000));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-live.png")));

            // Malformed JSON is shown and skipped; the page keeps working.
            broker.vane.broker().publish("weather/loop", "{not json", 0, false);
            page.waitForFunction("() => document.getElementById('status').textContent.startsWith('Skipped')", null,
                    new Page.WaitForFunctionOptions().setTimeout(5_000));
            // Until the next good packet: the status tick used to replace it within a second.
            page.clock().runFor(3_000);
            assertThat(page.textContent("#status")).startsWith("Skipped");
            assertThat(page.textContent("#outTemp")).isEqualTo("-3.5 °C");

            assertThat(errors).as("console errors").isEmpty();
            assertThat(foreign).as("requests to other hosts").isEmpty();
        }
    }

    private static void waitForStatus(Page page, String prefix, int millis) {
        page.waitForFunction("p => document.getElementById('status').textContent.startsWith(p)", prefix,
                new Page.WaitForFunctionOptions().setTimeout(millis));
    }

    @Test
    void waitingHintStaleIdleStopAndResume() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        try (WsBroker broker = new WsBroker(java.util.function.UnaryOperator.identity(),
                        io.vane.app.config.SecurityConfig.secureDefault());
                Playwright pw = Chromium.playwright();
                BrowserContext browser = Chromium.launch(pw, profile, o -> o)) {
            Page page = browser.newPage();
            PageLog.attach(page);
            // Short timings for the test: stale after 1.2 s without data, stop after 6 s idle.
            page.navigate("http://127.0.0.1:" + broker.wsPort() + "/?stale=0.02&idle=0.1");
            waitForStatus(page, "Connected — waiting for data on weather/loop", 20_000);
            broker.vane.broker().publish("dsmr/reading", "{\"power\": 1.2}", 0, false);
            page.waitForFunction("() => document.getElementById('status').textContent.includes('traffic seen on dsmr/reading')",
                    null, new Page.WaitForFunctionOptions().setTimeout(5_000));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-waiting-hint.png")));

            broker.vane.broker().publish("weather/loop", "{\"outTemp_F\": \"50.0\"}", 0, false);
            waitForStatus(page, "Live — updated", 5_000);
            waitForStatus(page, "Stale — no data for", 5_000);
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-stale.png")));

            waitForStatus(page, "Stopped after", 15_000);
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-stopped.png")));
            assertThat(io.vane.testkit.Poll.until(java.time.Duration.ofSeconds(5),
                    () -> broker.vane.broker().stats().clientsConnected() == 0)).as("disconnected while idle").isTrue();

            page.click("#status");
            // Resumed: connected again, and the next packet makes it live.
            assertThat(io.vane.testkit.Poll.until(java.time.Duration.ofSeconds(15),
                    () -> broker.vane.broker().stats().clientsConnected() == 1)).isTrue();
            broker.vane.broker().publish("weather/loop", "{\"outTemp_F\": \"51.0\"}", 0, true); // retained: the page may not have subscribed yet
            waitForStatus(page, "Live", 15_000);
            assertThat(broker.vane.broker().stats().clientsConnected()).isEqualTo(1);
        }
    }

    @Test
    void failedStateWhenTheBrokerIsGone() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        WsBroker broker = new WsBroker(java.util.function.UnaryOperator.identity(),
                io.vane.app.config.SecurityConfig.secureDefault());
        try (Playwright pw = Chromium.playwright();
                BrowserContext browser = Chromium.launch(pw, profile, o -> o)) {
            Page page = browser.newPage();
            PageLog.attach(page);
            page.navigate("http://127.0.0.1:" + broker.wsPort() + "/");
            waitForStatus(page, "Connected", 20_000);
            broker.close();
            waitForStatus(page, "Reconnecting (attempt 1, next in 2 s)", 10_000);
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-reconnecting.png")));
            waitForStatus(page, "Reconnecting (attempt 2", 10_000);
            assertThat(page.textContent("#status")).contains("could not connect");
            waitForStatus(page, "Failed: cannot reach Vane", 30_000);
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-broker-down.png")));
        } finally {
            broker.close();
        }
    }

    @Test
    void topicExplorerListsWhatTheViewerMayRead() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        try (WsBroker broker = new WsBroker(java.util.function.UnaryOperator.identity(),
                        io.vane.app.config.SecurityConfig.secureDefault());
                Playwright pw = Chromium.playwright();
                BrowserContext browser = Chromium.launch(pw, profile, o -> o)) {
            broker.vane.broker().publish("dsmr/reading", "{\"power_delivered\": \"1.234\"}", 0, true);
            broker.vane.broker().publish("home/secret", "not for anonymous eyes", 0, true);
            Page page = browser.newPage();
            PageLog.attach(page);
            page.navigate("http://127.0.0.1:" + broker.wsPort() + "/");
            waitForStatus(page, "Connected", 20_000);
            page.click("#tab-topics");
            page.waitForFunction("() => document.getElementById('explorer').textContent.includes('dsmr/reading')", null,
                    new Page.WaitForFunctionOptions().setTimeout(10_000));
            String text = page.textContent("#explorer");
            assertThat(text).contains("\"power_delivered\": \"1.234\"", "retained");
            assertThat(text).doesNotContain("home/secret");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-topics.png")));
            page.click("#tab-weather");
            assertThat(page.isVisible("#outTemp")).isTrue();
        }
    }

    /**
     * An https page gets wss:// from its own origin: no mixed content. Chromium is told to accept the
     * test CA's certificate (Playwright's ignoreHTTPSErrors), as a browser that trusts the CA would.
     */
    @Test
    void httpsPageUsesWss(@TempDir Path certDir) throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        io.vane.testkit.TestCertificates certs = io.vane.testkit.TestCertificates.create(certDir);
        certs.issue("server", "ec", true);
        io.vane.transport.tls.TlsSettings tls = io.vane.transport.tls.TlsSettings.of(certDir.resolve("server.pem"),
                certDir.resolve("server.key"));
        try (WsBroker broker = new WsBroker(l -> l.withTls(tls), io.vane.app.config.SecurityConfig.secureDefault());
                Playwright pw = Chromium.playwright();
                BrowserContext browser = Chromium.launch(pw, profile, o -> o.setIgnoreHTTPSErrors(true))) {
            Page page = browser.newPage();
            PageLog.attach(page);
            List<String> sockets = new ArrayList<>();
            page.onWebSocket(ws -> sockets.add(ws.url()));
            broker.vane.broker().publish("weather/loop", "{\"outTemp_F\": \"70.0\"}", 0, true);
            page.navigate("https://localhost:" + broker.wsPort() + "/");
            page.waitForFunction("() => document.getElementById('outTemp').textContent === '70.0 °F'", null,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertThat(sockets).allMatch(u -> u.startsWith("wss://localhost:" + broker.wsPort() + "/mqtt"));
            assertThat(sockets).isNotEmpty();
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-https.png")));
        }
    }

    @Test
    void individualModePhoneWidthKeyboardAndNotAuthorised() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        try (WsBroker broker = new WsBroker(java.util.function.UnaryOperator.identity(),
                        io.vane.app.config.SecurityConfig.secureDefault());
                Playwright pw = Chromium.playwright();
                BrowserContext browser = Chromium.launch(pw, profile, o -> o.setViewportSize(360, 740))) {
            Page page = browser.newPage();
            PageLog.attach(page);
            int before = broker.vane.broker().subscriptionCount();
            page.navigate("http://127.0.0.1:" + broker.wsPort() + "/");
            waitForStatus(page, "Connected", 20_000);
            // The page says Connected when its SUBSCRIBEs are sent, not when Vane has them: a message
            // published in between is lost. Wait for weather/+ (the page's fourth) to be in place.
            assertThat(io.vane.testkit.Poll.until(java.time.Duration.ofSeconds(5),
                    () -> broker.vane.broker().subscriptionCount() >= before + 4)).isTrue();
            // weewx-mqtt's individual mode: one scalar per topic.
            broker.vane.broker().publish("weather/outTemp_F", "55.5", 0, false);
            page.waitForFunction("() => document.getElementById('outTemp').textContent === '55.5 °F'", null,
                    new Page.WaitForFunctionOptions().setTimeout(5_000));
            assertThat(page.textContent("#outTemp ~ .when")).startsWith("updated ");
            assertThat((Integer) page.evaluate("() => document.documentElement.scrollWidth")).as("fits 360 px")
                    .isLessThanOrEqualTo(360);
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-phone.png"))
                    .setFullPage(true));
            List<String> focused = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                page.keyboard().press("Tab");
                focused.add((String) page.evaluate("() => document.activeElement.id"));
            }
            assertThat(focused).contains("units", "status", "tab-weather", "tab-topics");
            page.emulateMedia(new Page.EmulateMediaOptions()
                    .setColorScheme(com.microsoft.playwright.options.ColorScheme.DARK));
            assertThat(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
                    .as("dark theme").isEqualTo("rgb(15, 20, 27)");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-phone-dark.png")));
            page.emulateMedia(new Page.EmulateMediaOptions()
                    .setColorScheme(com.microsoft.playwright.options.ColorScheme.LIGHT));
            assertThat(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
                    .as("light theme").isEqualTo("rgb(246, 247, 249)");

            // The page's clock from here on is the test's: it still runs, and runFor fires its timers at once.
            page.clock().install();
            page.navigate("http://127.0.0.1:" + broker.wsPort() + "/?topic=home/loop");
            waitForStatus(page, "Failed: not authorised to read home/loop", 20_000);
            // The refusal stays: the once-a-second status tick and the refused history answer (403) used
            // to replace it within a second, and the wait above missed it when both came between two polls.
            page.clock().runFor(3_000);
            assertThat(page.textContent("#status")).startsWith("Failed: not authorised to read home/loop");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-failed.png")));
        }
    }

    /** What `./vane` with no config gives a new user: simulated weather, labelled, live, with charts. */
    @Test
    void theDefaultRunShowsSimulatedWeatherWithinSeconds() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        // Its data folder (./vane-data without a config file) goes to this test's own folder.
        io.vane.app.config.VaneConfig defaults = new io.vane.app.config.ConfigParser().withWorkingDirectory(profile.resolve("vane"))
                .defaults();
        io.vane.app.config.VaneConfig config = defaults.withListeners(List.of(
                new io.vane.transport.ListenerConfig(0, "127.0.0.1", io.vane.transport.ListenerConfig.Protocol.MQTT, -1),
                new io.vane.transport.ListenerConfig(0, "127.0.0.1",
                        io.vane.transport.ListenerConfig.Protocol.WEBSOCKETS, -1)));
        assertThat(config.app().devices().simulateWeather()).isTrue();
        try (io.vane.app.Vane vane = io.vane.app.Vane.start(config);
                Playwright pw = Chromium.playwright();
                BrowserContext browser = Chromium.launch(pw, profile, o -> o)) {
            Page page = browser.newPage();
            PageLog.attach(page);
            page.navigate("http://127.0.0.1:" + vane.port(1) + "/");
            waitForStatus(page, "Live", 10_000);
            page.waitForFunction("() => !document.getElementById('simulated').hidden", null,
                    new Page.WaitForFunctionOptions().setTimeout(10_000));
            assertThat(page.textContent("#outTemp")).endsWith("°F");
            assertThat(page.textContent("#windDir")).isNotEqualTo("—");
            page.waitForTimeout(3000); // one more packet, so the charts hold a line
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-default-run.png")));
        }
    }
}
