package io.vane.app.config;

import io.vane.app.config.LogSettings.Destination;
import io.vane.app.config.LogSettings.Type;
import java.util.List;
import java.util.Locale;

/**
 * The logging rows of the option table. As in Mosquitto, the first log_dest and the first log_type
 * replace the defaults and later ones add to them; {@code none} clears.
 */
final class LogOptions {

    static final List<String> TYPE_WORDS = List.of("debug", "error", "warning", "notice", "information",
            "subscribe", "unsubscribe", "websockets", "all", "none");

    private LogOptions() {
    }

    static void destination(ConfigDraft d, String text) throws ValueProblem {
        String[] parts = text.split("[ \t]+", 2);
        String word = parts[0];
        if (!d.logDestinationsSet) {
            d.logDestinationsSet = true;
            d.logDestinations.clear();
        }
        switch (word) {
            case "none" -> d.logDestinations.clear();
            case "stdout" -> d.logDestinations.add(Destination.STDOUT);
            case "stderr" -> d.logDestinations.add(Destination.STDERR);
            case "file" -> file(d, parts.length > 1 ? parts[1].strip() : "");
            case "syslog" -> d.notice("log_dest syslog is ignored: Vane does not log to syslog; under systemd its"
                    + " stderr goes to the journal; or write log_dest file PATH");
            case "topic" -> d.notice("log_dest topic is ignored: Vane does not publish its log to $SYS/broker/log;"
                    + " the other log_dest lines and /metrics still apply");
            case "dlt" -> d.notice("log_dest dlt is ignored: Vane has no GENIVI DLT output");
            default -> throw ValueProblem.needs("log_dest", "stdout, stderr, file PATH or none", text,
                    "stderr");
        }
    }

    private static void file(ConfigDraft d, String path) throws ValueProblem {
        if (path.isEmpty()) {
            throw new ValueProblem("log_dest file needs a path; write e.g. log_dest file /var/log/vane/vane.log");
        }
        if (d.logFile != null) {
            throw new ValueProblem("log_dest file is given twice; Vane writes one log file; remove one of them");
        }
        d.logFile = d.resolve(path);
        d.logDestinations.add(Destination.FILE);
    }

    static void type(ConfigDraft d, String word) {
        if (!d.logTypesSet) {
            d.logTypesSet = true;
            d.logTypes.clear();
        }
        switch (word) {
            case "none" -> d.logTypes.clear();
            case "all" -> d.logTypes.addAll(LogSettings.ALL_TYPES);
            default -> d.logTypes.add(Type.valueOf(word.toUpperCase(Locale.ROOT)));
        }
    }

    static void timestampFormat(ConfigDraft d, String format) throws ValueProblem {
        try {
            StrftimePattern.toJava(format);
        } catch (IllegalArgumentException e) {
            throw new ValueProblem("log_timestamp_format '" + format + "' " + e.getMessage()
                    + "; write a format using " + StrftimePattern.KNOWN + ", e.g. log_timestamp_format %Y-%m-%dT%H:%M:%S");
        }
        d.logTimestampFormat = format;
    }
}
