package io.vane.it.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vane.app.Vane;
import io.vane.app.config.ConfigParser;
import io.vane.testkit.MosquittoBroker;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard shows each bridge's state under its status line, in Chromium, with no console errors. */
@org.junit.jupiter.api.extension.ExtendWith(PageLog.OnFailure.class)
class BridgeStatusPageTest {
    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theBridgesLineFollowsTheBridge() throws Exception {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install chromium)");
        int ws = freePort();
        MosquittoBroker remote = MosquittoBroker.start(List.of());
        Path conf = dir.resolve("vane.conf");
        Files.writeString(conf, "listener " + ws + " 127.0.0.1\nprotocol websockets\nallow_anonymous true\n"
                + "simulate_weather true\nconnection domotica\naddress 127.0.0.1:" + remote.port()
                + "\nrestart_timeout 1\ntopic /# in\n");
        Path profile = Files.createDirectories(dir.resolve("profile"));
        try (Vane vane = Vane.start(new ConfigParser().withWorkingDirectory(dir).read(conf));
                Playwright pw = Chromium.playwright();
                BrowserContext browser = Chromium.launch(pw, profile, o -> o.setViewportSize(375, 740))) {
            Page page = browser.newPage();
            PageLog.attach(page);
            List<String> errors = new ArrayList<>();
            page.onConsoleMessage(m -> {
                if (m.type().equals("error")) {
                    errors.add(m.text());
                }
            });
            page.onPageError(errors::add);
            page.navigate("http://127.0.0.1:" + ws + "/");
            page.waitForFunction("() => (document.getElementById('bridges').dataset.states || '')"
                    + " === 'domotica=connected'", null, new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertThat(page.locator("#bridges").isVisible()).isTrue();
            assertThat(page.locator("#bridges").textContent()).startsWith("Bridge domotica: connected");
            remote.close();
            page.waitForFunction("() => (document.getElementById('bridges').dataset.states || '')"
                    + " !== 'domotica=connected'", null, new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertThat(page.locator("#bridges").textContent()).doesNotContain(": connected");
            assertThat(errors).isEmpty();
        } finally {
            remote.close();
        }
    }
}
