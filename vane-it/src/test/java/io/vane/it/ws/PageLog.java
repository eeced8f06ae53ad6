package io.vane.it.ws;

import com.microsoft.playwright.Page;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * What a page did, for the message of a failing browser test: console lines, page errors, failed
 * requests, every HTTP status and every text the status line showed, each with its time since the
 * log was attached. A wait that times out says only what it waited for; this says what happened.
 * A test class that {@code @ExtendWith(PageLog.OnFailure.class)} gets the logs of the pages it attached
 * added to its failure.
 */
final class PageLog {
    /** The logs attached by the test running on this thread. */
    private static final ThreadLocal<List<PageLog>> CURRENT = ThreadLocal.withInitial(ArrayList::new);

    /** Reports each change of {@code #status} to the console, where {@link #attach} hears it. */
    private static final String STATUS_WATCH = """
            addEventListener('DOMContentLoaded', () => {
              const s = document.getElementById('status');
              if (!s) return;
              const report = () => console.debug('[status] ' + s.textContent);
              report();
              new MutationObserver(report).observe(s, { childList: true, characterData: true, subtree: true });
            });
            """;

    private final long start = System.nanoTime();
    private final List<String> lines = new ArrayList<>();

    private PageLog() {
    }

    /** Starts recording {@code page}; call before its first navigation. */
    /** The page's console errors and uncaught exceptions from now on, for a test to assert there are none. */
    static List<String> errors(Page page) {
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                errors.add(m.text());
            }
        });
        page.onPageError(errors::add);
        return errors;
    }

    static PageLog attach(Page page) {
        PageLog log = new PageLog();
        CURRENT.get().add(log);
        page.addInitScript(STATUS_WATCH);
        page.onConsoleMessage(m -> log.add("console." + m.type() + ": " + m.text()));
        page.onPageError(e -> log.add("page error: " + e));
        page.onRequestFailed(r -> log.add("request failed: " + r.method() + " " + r.url() + ": " + r.failure()));
        page.onResponse(r -> log.add("HTTP " + r.status() + " " + r.request().method() + " " + r.url()));
        page.onWebSocket(ws -> {
            log.add("websocket open " + ws.url());
            ws.onClose(w -> log.add("websocket closed " + w.url()));
            ws.onSocketError(e -> log.add("websocket error " + e));
            ws.onFrameSent(f -> log.add("websocket sent " + hex(f.binary())));
            ws.onFrameReceived(f -> log.add("websocket received " + hex(f.binary())));
        });
        page.onFrameNavigated(f -> {
            if (f.parentFrame() == null) {
                log.add("navigated to " + f.url());
            }
        });
        return log;
    }

    /** An MQTT packet's first bytes: enough to tell a SUBACK's return codes. */
    private static String hex(byte[] bytes) {
        if (bytes == null) {
            return "(text)";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 12); i++) {
            b.append(String.format("%02x ", bytes[i]));
        }
        return b.append(bytes.length > 12 ? "... (" + bytes.length + " bytes)" : "").toString().trim();
    }

    private synchronized void add(String line) {
        lines.add(String.format("%7.3f s  %s", (System.nanoTime() - start) / 1e9, line));
    }

    /** The lines so far, one a line. */
    @Override
    public synchronized String toString() {
        return String.join("\n", lines);
    }

    /** Adds the logs of the failing test's pages to its failure. */
    static final class OnFailure implements TestExecutionExceptionHandler, AfterEachCallback {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            for (PageLog log : CURRENT.get()) {
                failure.addSuppressed(new AssertionError("what the page did:\n" + log));
            }
            throw failure;
        }

        @Override
        public void afterEach(ExtensionContext context) {
            CURRENT.remove();
        }
    }
}
