package io.vane.app.doctor;

import io.vane.app.config.ConfigException;
import io.vane.app.config.ConfigParser;
import io.vane.app.config.VaneConfig;
import io.vane.transport.ListenerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads the broker's config exactly as {@code vane run} would, and weewx.conf when given. */
final class ConfigChecks {
    static final String GROUP = "config";

    private ConfigChecks() {
    }

    static void run(Doctor d) {
        Report r = d.report();
        Path file = d.inputs().configFile();
        try {
            if (file == null) {
                d.config = new ConfigParser().defaults();
                r.pass(GROUP, "no config file given: checking Vane's built-in defaults (" + listeners(d.config) + ")");
            } else {
                d.config = new ConfigParser().read(file);
                r.pass(GROUP, file + " is a valid config (" + listeners(d.config) + ")");
            }
            for (String notice : d.config.app().notices()) {
                r.warn(GROUP, notice, "nothing to do unless you rely on that option; Vane logs this at start-up too");
            }
        } catch (ConfigException e) {
            for (ConfigException p : e.all()) {
                String where = p.file() + (p.line() > 0 ? ":" + p.line() : "");
                String problem = p.problem();
                int write = problem.indexOf("; ");
                r.fail(GROUP, where + ": " + (write < 0 ? problem : problem.substring(0, write)),
                        write < 0 ? "correct line " + p.line() + " of " + p.file() + "; Vane will not start until then"
                                : problem.substring(write + 2));
            }
        }
        readWeewx(d);
    }

    private static void readWeewx(Doctor d) {
        Path file = d.inputs().weewxConf();
        if (file == null) {
            return;
        }
        Report r = d.report();
        if (!Files.isRegularFile(file)) {
            r.fail(WeewxChecks.GROUP, file + " does not exist", "give the path of weewx.conf (pip installs: "
                    + "~/weewx-data/weewx.conf; Debian package: /etc/weewx/weewx.conf)");
            return;
        }
        try {
            d.weewx = WeewxSettings.of(ConfigObj.read(file));
        } catch (ConfigObj.ParseException e) {
            r.fail(WeewxChecks.GROUP, e.getMessage(), "correct that line: weewx (ConfigObj) cannot read it either");
        } catch (IOException e) {
            r.fail(WeewxChecks.GROUP, file + " cannot be read: " + e.getMessage(),
                    "run vane doctor as a user who may read weewx.conf (sudo)");
        }
    }

    static String listeners(VaneConfig c) {
        return c.listeners().stream().map(ConfigChecks::describe).collect(Collectors.joining(", "));
    }

    /** A listener as people name it: {@code websockets 9001 (TLS)}. */
    static String describe(ListenerConfig l) {
        return l.protocol().configWord() + " " + l.port() + (l.tls() != null ? " (TLS)" : "")
                + (l.bindAddress() == null || l.bindAddress().isEmpty() ? "" : " on " + l.bindAddress());
    }
}
