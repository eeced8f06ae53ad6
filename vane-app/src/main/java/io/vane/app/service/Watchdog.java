package io.vane.app.service;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds systemd's watchdog (WatchdogSec= in the unit): {@code WATCHDOG=1} every half interval, but only
 * while every event loop answers. A Vane whose loops are stuck stops feeding it, and systemd restarts
 * it; a timer thread that merely still runs is no proof of life. One daemon thread of its own.
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vane.systemd");

    private final ScheduledExecutorService timer;
    private final SystemdNotifier notifier;
    private final Supplier<List<String>> problems;
    private volatile boolean starving;

    /**
     * @param problems what keeps Vane from being alive (event loops that do not answer); empty when well
     */
    private Watchdog(SystemdNotifier notifier, long intervalMicros, Supplier<List<String>> problems) {
        this.notifier = notifier;
        this.problems = problems;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vane-watchdog");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, intervalMicros / 2);
        timer.scheduleAtFixedRate(this::feed, 0, every, TimeUnit.MICROSECONDS);
    }

    /**
     * Starts feeding when systemd asked for it (WATCHDOG_USEC set, and WATCHDOG_PID unset or this
     * process, as sd_watchdog_enabled(3) reads them); returns null otherwise.
     */
    public static Watchdog startIfAsked(Map<String, String> env, SystemdNotifier notifier,
            Supplier<List<String>> problems) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || !notifier.isActive()) {
            return null;
        }
        String pid = env.get("WATCHDOG_PID");
        if (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            return null; // meant for another process (a wrapper that exec'd us would have passed it on)
        }
        long micros;
        try {
            micros = Long.parseLong(usec.trim());
        } catch (NumberFormatException e) {
            LOG.warn("WATCHDOG_USEC '{}' is not a number of microseconds; the watchdog is not fed.", usec);
            return null;
        }
        if (micros <= 0) {
            return null;
        }
        LOG.info("Feeding the systemd watchdog every {} ms while every event loop answers.", micros / 2000);
        return new Watchdog(notifier, micros, problems);
    }

    private void feed() {
        try {
            List<String> now = problems.get();
            if (now.isEmpty()) {
                if (starving) {
                    LOG.warn("Every event loop answers again; feeding the systemd watchdog.");
                    starving = false;
                }
                notifier.send("WATCHDOG=1");
                return;
            }
            if (!starving) {
                starving = true;
                LOG.error("Not feeding the systemd watchdog: {}.", String.join("; ", now));
                notifier.send("STATUS=Not alive: " + String.join("; ", now));
            }
        } catch (RuntimeException e) {
            LOG.warn("Watchdog check failed: {}", e.toString()); // next tick tries again
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
