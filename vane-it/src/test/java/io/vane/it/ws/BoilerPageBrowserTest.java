package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vane.app.Vane;
import io.vane.app.config.ConfigParser;
import io.vane.app.config.VaneConfig;
import io.vane.broker.security.PasswordHash;
import io.vane.devices.opentherm.FakeGateway;
import io.vane.transport.ListenerConfig;
import io.vane.transport.ListenerConfig.Protocol;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boiler page in Debian's Chromium at phone width, against a Vane started from a config file with a
 * password file and one {@code opentherm_source} on a TCP gateway played by the test: charts full from
 * the history, live values, a refused login, then a login whose setpoint change reaches the gateway and
 * comes back accepted, with the credentials nowhere in the page or its storage; then the gateway goes
 * away: the offline state, and a command refused because of it. No console errors.
 */
@org.junit.jupiter.api.extension.ExtendWith(PageLog.OnFailure.class)
class BoilerPageBrowserTest {
    @TempDir
    Path dir;

    private static void waitFor(Page page, String condition) {
        page.waitForFunction("() => " + condition, null, new Page.WaitForFunctionOptions().setTimeout(15_000));
    }

    @Test
    void liveValuesLoginSetpointAndOfflineAtPhoneWidth() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        try (ServerSocket gatewayPort = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Files.writeString(dir.resolve("pwfile"), "owner:" + PasswordHash.pbkdf2("heat-me-up", 101).encoded() + "\n");
            Files.writeString(dir.resolve("vane.conf"), String.join("\n", "password_file pwfile",
                    "opentherm_source boiler tcp:127.0.0.1:" + gatewayPort.getLocalPort(), ""));
            VaneConfig config = new ConfigParser().withWorkingDirectory(dir).read(dir.resolve("vane.conf"))
                    .withListeners(List.of(new ListenerConfig(0, "127.0.0.1", Protocol.WEBSOCKETS, -1)));
            try (Vane vane = Vane.start(config);
                    Playwright pw = Chromium.playwright();
                    BrowserContext browser = Chromium.launch(pw, dir.resolve("profile"), o -> o.setViewportSize(375, 740))) {
                // A day's history before the page opens: the charts start full.
                for (int i = 0; i < 30; i++) {
                    vane.broker().publish("opentherm/json", "{\"room_temperature\":" + (19 + i / 20.0)
                            + ",\"room_setpoint\":20,\"flow_temperature\":" + (40 + i) + ",\"return_temperature\":30}",
                            0, false);
                }
                Page page = browser.newPage();
                PageLog.attach(page);
                List<String> errors = PageLog.errors(page);
                page.navigate("http://127.0.0.1:" + vane.port(0) + "/boiler.html");
                waitFor(page, "Number(document.body.dataset.historyPoints) >= 30");
                assertThat(page.locator("#chart-room canvas").count()).isEqualTo(1);
                assertThat(page.isVisible("#control")).as("no control before a login").isFalse();

                try (Socket line = gatewayPort.accept();
                        FakeGateway gw = new FakeGateway(line.getInputStream(), line.getOutputStream(), 100).start()) {
                    waitFor(page, "document.body.dataset.gateway === 'online'"
                            + " && /°C$/.test(document.getElementById('flow').textContent)"
                            + " && /°C$/.test(document.getElementById('room').textContent)"
                            + " && /°C$/.test(document.getElementById('setpoint').textContent)"
                            + " && /°C$/.test(document.getElementById('return').textContent)"
                            + " && /%$/.test(document.getElementById('modulation').textContent)"
                            + " && document.getElementById('flame').textContent !== '—'");
                    assertThat(page.textContent("#flame")).isIn("On", "Off");

                    // A wrong password: refused, no control.
                    page.fill("#user", "owner");
                    page.fill("#password", "guess");
                    page.click("#login button[type=submit]");
                    waitFor(page, "document.body.dataset.command === 'refused'");
                    assertThat(page.textContent("#command")).startsWith("Login refused");
                    assertThat(page.isVisible("#control")).isFalse();

                    // The right one: the probe comes back, the control appears.
                    page.fill("#user", "owner");
                    page.fill("#password", "heat-me-up");
                    page.click("#login button[type=submit]");
                    waitFor(page, "document.body.dataset.control === 'shown'");
                    assertThat(gw.received).as("the probe never reaches the gateway").isEmpty();
                    page.fill("#new-setpoint", "22.5");
                    page.click("#control button[type=submit]");
                    waitFor(page, "document.body.dataset.command === 'accepted'");
                    assertThat(page.textContent("#command")).isEqualTo("Gateway accepted: TT: 22.50");
                    assertThat(gw.received).containsExactly("TT=22.5");
                    waitFor(page, "document.getElementById('setpoint').textContent === '22.5 °C'");

                    // The credentials are nowhere: not in the inputs, the page, or its storage.
                    assertThat(page.inputValue("#password")).isEmpty();
                    assertThat(page.content()).doesNotContain("heat-me-up");
                    assertThat(page.evaluate("() => localStorage.length + sessionStorage.length")).isEqualTo(0);
                }
                // The gateway is gone (and its port: no reconnect): the page says so, and a command is refused for it.
                gatewayPort.close();
                waitFor(page, "document.body.dataset.gateway === 'offline'");
                assertThat(page.textContent("#status")).startsWith("Gateway offline");
                page.fill("#new-setpoint", "21");
                page.click("#control button[type=submit]");
                waitFor(page, "document.body.dataset.command === 'refused'");
                assertThat(page.textContent("#command")).startsWith("Command refused (offline)");
                // Phone width: nothing wider than the screen.
                assertThat(((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue())
                        .isLessThanOrEqualTo(375);
                assertThat(errors).isEmpty();
            }
        }
    }
}
