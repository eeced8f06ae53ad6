package io.vane.it.ws;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Debian's Chromium driven by Playwright: headless, sandbox and background networking off, a fresh
 * profile folder, and never a browser download of Playwright's own.
 */
final class Chromium {
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    static boolean installed() {
        return Files.isExecutable(EXECUTABLE);
    }

    static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** A browser with {@code profile} as its --user-data-dir; {@code options} adds to the defaults. */
    static BrowserContext launch(Playwright pw, Path profile,
            UnaryOperator<BrowserType.LaunchPersistentContextOptions> options) {
        return pw.chromium().launchPersistentContext(profile, options.apply(
                new BrowserType.LaunchPersistentContextOptions()
                        .setExecutablePath(EXECUTABLE)
                        .setHeadless(true)
                        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                "--no-first-run", "--disable-component-update", "--disable-sync"))));
    }
}
