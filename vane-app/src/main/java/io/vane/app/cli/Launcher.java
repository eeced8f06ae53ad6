package io.vane.app.cli;

import ch.qos.logback.classic.LoggerContext;
import io.vane.app.Vane;
import io.vane.app.config.ConfigException;
import io.vane.app.config.ConfigParser;
import io.vane.app.config.LogSettings;
import io.vane.app.config.LogSettings.Destination;
import io.vane.app.config.VaneConfig;
import io.vane.app.log.Logging;
import io.vane.app.ops.Health;
import io.vane.app.service.ServiceStatus;
import io.vane.app.service.SystemdNotifier;
import io.vane.app.service.Watchdog;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code vane run} does, in Mosquitto's order: read the config, set up logging, start, log
 * "running", then wait for SIGINT/SIGTERM and shut down cleanly with exit status 0.
 */
final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger("io.vane.app");

    private Launcher() {
    }

    /** Returns the exit status for a failed start; on success blocks until the process is signalled. */
    static int run(ServerOptions options, PrintWriter err) {
        if (options.port != null && (options.port < 1 || options.port > 65535)) {
            err.println("Error: Invalid port specified (" + options.port + "); write a port from 1 to 65535.");
            err.flush();
            return 1;
        }
        VaneConfig config;
        try {
            config = load(options);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        }
        try {
            Logging.configure(config.logging());
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            err.flush();
            return 1;
        }
        String version = Version.current();
        LOG.info("vane version {} starting", version);
        if (config.source() == null) {
            LOG.info("Using default config.");
        } else {
            LOG.info("Config loaded from {}.", config.source());
        }
        // The stop hook is in place before any listener opens: a SIGTERM that arrives while Vane starts
        // waits for the start to end, then stops it cleanly (exit 0), as after it.
        java.util.concurrent.CompletableFuture<Vane> started = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<java.nio.file.Path> pidFile =
                new java.util.concurrent.atomic.AtomicReference<>();
        SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv());
        installStopHook(started, pidFile, version, systemd);
        systemd.send("STATUS=Starting: reading the store, opening listeners");
        Vane vane;
        try {
            vane = Vane.start(config);
            started.complete(vane);
        } catch (RuntimeException e) {
            started.complete(null);
            String message = StartFailure.describe(config, e);
            systemd.sendAndWait("STATUS=" + message);
            LOG.debug("start failed", e);
            if (!config.logging().destinations().contains(Destination.STDERR)) {
                LOG.error(message);
            }
            err.println(message);
            err.flush();
            return 1;
        }
        LOG.info("vane version {} running", version);
        // Listeners are bound and the store recovered: clients may come (Type=notify).
        systemd.send("READY=1", "STATUS=" + ServiceStatus.of(vane), "MAINPID=" + ProcessHandle.current().pid());
        Watchdog.startIfAsked(System.getenv(), systemd, () -> vane.operations().health().liveProblems(
                Math.min(Health.LOOP_SILENCE_NANOS, watchdogNanos(System.getenv()) / 2)));
        awaitSignal(vane, config.app().pidFile(), pidFile, systemd);
        return 0;
    }

    /**
     * pid_file, as Mosquitto writes it: the process id and a newline, once listening. A file that cannot
     * be written (Debian's stock /run/mosquitto/ exists only under its systemd unit) is a warning, not a
     * stop: nothing is less safe or lost without it. Returns the path written, or null.
     */
    static java.nio.file.Path writePidFile(java.nio.file.Path pidFile) {
        if (pidFile == null) {
            return null;
        }
        java.nio.file.Path partial = pidFile.resolveSibling(pidFile.getFileName() + ".partial");
        try {
            // Written beside it and moved into place, so a reader (systemd's PIDFile=, a script) never
            // sees the file empty or half written.
            java.nio.file.Files.writeString(partial, ProcessHandle.current().pid() + "\n");
            java.nio.file.Files.move(partial, pidFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return pidFile;
        } catch (IOException e) {
            try {
                java.nio.file.Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the warning below says what matters
            }
            LOG.warn("pid_file {}: cannot write it ({}); running without a pid file.", pidFile,
                    e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                            : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString());
            return null;
        }
    }

    static VaneConfig load(ServerOptions options) throws ConfigException {
        ConfigParser parser = new ConfigParser();
        if (options.port != null) {
            parser = parser.withCommandLinePort(options.port);
        }
        VaneConfig config = options.configFile == null ? parser.defaults() : parser.read(options.configFile);
        if (options.verbose) {
            config = config.withLogging(config.logging().withTypes(LogSettings.ALL_TYPES));
        }
        return config;
    }

    /**
     * The JVM runs shutdown hooks on SIGINT and SIGTERM; the hook closes Vane, removes the pid file, logs,
     * flushes the log and halts with 0 because Mosquitto exits 0 when told to stop (the JVM would report
     * 130/143). After a failed start it does nothing, so the exit code stays 1.
     */
    private static void installStopHook(java.util.concurrent.CompletableFuture<Vane> started,
            java.util.concurrent.atomic.AtomicReference<java.nio.file.Path> pidFile, String version,
            SystemdNotifier systemd) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Vane vane = started.join();
            if (vane == null) {
                return;
            }
            try {
                systemd.sendAndWait("STOPPING=1", "STATUS=Stopping: disconnecting clients, writing the store");
                vane.close();
                java.nio.file.Path written = pidFile.get();
                if (written != null) {
                    try {
                        java.nio.file.Files.deleteIfExists(written);
                    } catch (IOException e) {
                        LOG.warn("pid_file {}: cannot remove it ({}).", written, e.toString());
                    }
                }
                LOG.info("vane version {} terminating", version);
            } finally {
                ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
                Runtime.getRuntime().halt(0);
            }
        }, "vane-shutdown"));
    }

    /** WATCHDOG_USEC in nanoseconds, or a large number when unset or unreadable. */
    private static long watchdogNanos(java.util.Map<String, String> env) {
        try {
            return Long.parseLong(env.getOrDefault("WATCHDOG_USEC", "").trim()) * 1000;
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    @SuppressWarnings("sunapi")
    private static void awaitSignal(Vane vane, java.nio.file.Path configuredPidFile,
            java.util.concurrent.atomic.AtomicReference<java.nio.file.Path> pidFile, SystemdNotifier systemd) {
        CountDownLatch never = new CountDownLatch(1);
        try {
            // SIGHUP reopens log files (logrotate) and reloads the password and ACL files, as for Mosquitto.
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                // MONOTONIC_USEC: systemd matches the reload to this signal (sd_notify(3)); nanoTime is
                // CLOCK_MONOTONIC on Linux.
                systemd.send("RELOADING=1", "MONOTONIC_USEC=" + System.nanoTime() / 1000,
                        "STATUS=Reloading: log files, password and ACL files, bridges");
                String logProblem = Logging.reopenFiles();
                if (logProblem != null) {
                    LOG.error("{}; logging goes on to the old file.", logProblem);
                }
                LOG.info("Reloading config (SIGHUP).");
                vane.reloadSecurity();
                vane.reloadCertificates();
                vane.reloadBridges();
                systemd.send("READY=1", "STATUS=" + ServiceStatus.of(vane));
            });
        } catch (IllegalArgumentException e) {
            LOG.debug("SIGHUP cannot be handled on this platform", e);
        }
        // Written once the handlers are in place: whoever reads the pid may signal it at once.
        pidFile.set(writePidFile(configuredPidFile));
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // Only the shutdown hook ends this process; keep waiting for it.
            }
        }
    }
}
