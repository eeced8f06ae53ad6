package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vane.app.Vane;
import io.vane.app.config.DashboardSettings;
import io.vane.app.config.SecurityConfig;
import io.vane.app.config.VaneConfig;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.devices.p1.P1Source;
import io.vane.devices.p1.SimulatedMeter;
import io.vane.devices.line.TcpLink;
import io.vane.transport.ListenerConfig;
import io.vane.transport.ListenerConfig.Protocol;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The energy page in Debian's Chromium at phone width against the secure default (the page reads from
 * 127.0.0.1, inside the home): charts full from the history, live values from a real P1 source reading a
 * converter played by the test, the bad-CRC note when a damaged telegram arrives, and the offline state
 * when the converter goes away. No console errors.
 */
@org.junit.jupiter.api.extension.ExtendWith(PageLog.OnFailure.class)
class EnergyPageBrowserTest {
    @TempDir
    Path profile;

    @Test
    void liveValuesBadCrcAndOfflineAtPhoneWidth() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        VaneConfig base = VaneConfig.defaults().withListeners(List.of(
                new ListenerConfig(0, "127.0.0.1", Protocol.WEBSOCKETS, -1))).withSecurity(SecurityConfig.secureDefault());
        VaneConfig config = base.withApp(base.app().withDashboard(new DashboardSettings(List.of("dsmr/json"), 24, 1)));
        SimulatedMeter meter = new SimulatedMeter(Clock.systemDefaultZone(), 14);
        try (Vane vane = Vane.start(config);
                ServerSocket converter = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Playwright pw = Chromium.playwright();
                BrowserContext browser = Chromium.launch(pw, profile, o -> o.setViewportSize(375, 740))) {
            // A day's history before the page opens: the charts start full.
            for (int i = 0; i < 30; i++) {
                vane.broker().publish("dsmr/json", "{\"electricity_currently_delivered\":" + (0.2 + i / 100.0)
                        + ",\"electricity_currently_returned\":0,\"phase_voltage_l1\":230.1}", 0, false);
            }
            LocalClient client = vane.broker().connectLocal(LocalClientOptions.internal("vane-source-meter"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            P1Source source = new P1Source("meter", new TcpLink("127.0.0.1", converter.getLocalPort()), "dsmr", 0,
                    Clock.systemDefaultZone());
            Page page = browser.newPage();
            PageLog.attach(page);
            List<String> errors = new ArrayList<>();
            page.onConsoleMessage(m -> {
                if (m.type().equals("error")) {
                    errors.add(m.text());
                }
            });
            page.onPageError(errors::add);
            try {
                page.navigate("http://127.0.0.1:" + vane.port(0) + "/energy.html");
                page.waitForFunction("() => Number(document.body.dataset.historyPoints) >= 30", null,
                        new Page.WaitForFunctionOptions().setTimeout(10_000));
                assertThat(page.locator("#chart-power canvas").count()).isEqualTo(1);

                source.start(client);
                try (Socket line = converter.accept()) {
                    OutputStream out = line.getOutputStream();
                    out.write(meter.nextTelegram());
                    out.flush();
                    page.waitForFunction("() => /kW$/.test(document.getElementById('power-in').textContent)"
                            + " && document.body.dataset.meter === 'online'"
                            // day-consumption/json follows dsmr/json: wait for it rather than race it
                            + " && / kWh$/.test(document.getElementById('today-in').textContent)", null,
                            new Page.WaitForFunctionOptions().setTimeout(10_000));
                    assertThat(page.textContent("#voltage")).endsWith(" V");
                    assertThat(page.textContent("#today-in")).endsWith(" kWh");
                    assertThat(page.textContent("#today-gas")).endsWith(" m³");
                    assertThat(page.textContent("#tariff")).isIn("Low", "Normal");
                    assertThat(page.isVisible("#telegram-note")).isFalse();

                    byte[] damaged = meter.nextTelegram();
                    damaged[40] ^= 0x01; // one bit of the body: the CRC no longer matches
                    out.write(damaged);
                    out.flush();
                    page.waitForFunction("() => document.body.dataset.lastTelegram === 'bad CRC'", null,
                            new Page.WaitForFunctionOptions().setTimeout(10_000));
                    assertThat(page.textContent("#telegram-note")).contains("bad CRC");
                }
                // The converter is gone: the source says so, the page shows it.
                converter.close();
                page.waitForFunction("() => document.body.dataset.meter === 'offline'", null,
                        new Page.WaitForFunctionOptions().setTimeout(10_000));
                assertThat(page.textContent("#status")).startsWith("Meter offline");
                // Phone width: nothing wider than the screen.
                assertThat(((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue())
                        .isLessThanOrEqualTo(375);
                assertThat(errors).isEmpty();
            } finally {
                source.close();
                client.close();
            }
        }
    }
}
