package io.vane.app.config;

import io.vane.devices.line.LineEndpoint;
import io.vane.devices.p1.P1Source;

/** The device-source options whose values need more than one word's checks. */
final class DeviceOptions {
    private static final String EXAMPLE = "dsmr_source meter serial:/dev/ttyUSB0";
    private static final String P1_ENDPOINTS = "serial:/dev/ttyUSB0 (or serial:/dev/ttyUSB0,115200,8N1, or"
            + " tcp:192.168.1.40:2001)";

    private DeviceOptions() {
    }

    /** {@code dsmr_source NAME serial:/dev/ttyUSB0[,BAUD[,FRAMING]]} or {@code dsmr_source NAME tcp:HOST:PORT}. */
    static void dsmrSource(ConfigDraft d, String text) throws ValueProblem {
        String[] words = text.split("#", 2)[0].strip().split("[ \t]+");
        if (words.length != 2) {
            throw new ValueProblem("dsmr_source takes a name and where to read the meter, got '" + text
                    + "'; write e.g. " + EXAMPLE + " (or tcp:192.168.1.40:2001)");
        }
        String name = words[0];
        if (!name.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new ValueProblem("dsmr_source name '" + name + "' may hold only letters, digits, _ and -; write e.g. "
                    + EXAMPLE);
        }
        for (DeviceSettings.Meter m : d.meters) {
            if (m.name().equals(name)) {
                throw new ValueProblem("dsmr_source " + name + " is already defined; write a different name");
            }
        }
        try {
            d.meters.add(new DeviceSettings.Meter(name, LineEndpoint.parse(words[1], P1Source.FRAMING)));
        } catch (IllegalArgumentException e) {
            throw new ValueProblem("dsmr_source: " + e.getMessage() + "; write e.g. dsmr_source " + name + " "
                    + P1_ENDPOINTS);
        }
    }

    static void dsmrTopicPrefix(ConfigDraft d, String prefix) throws ValueProblem {
        d.dsmrTopicPrefix = topicPrefix("dsmr_topic_prefix", prefix, "dsmr");
    }

    /** {@code opentherm_source NAME serial:/dev/ttyUSB1[,9600]} or {@code opentherm_source NAME tcp:HOST:PORT}. */
    static void openThermSource(ConfigDraft d, String text) throws ValueProblem {
        String example = "opentherm_source boiler serial:/dev/ttyUSB1";
        String[] words = text.split("#", 2)[0].strip().split("[ \t]+");
        if (words.length != 2) {
            throw new ValueProblem("opentherm_source takes a name and where to read the gateway, got '" + text
                    + "'; write e.g. " + example + " (or tcp:192.168.1.41:25238)");
        }
        String name = words[0];
        if (!name.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new ValueProblem("opentherm_source name '" + name + "' may hold only letters, digits, _ and -;"
                    + " write e.g. " + example);
        }
        for (DeviceSettings.Gateway g : d.gateways) {
            if (g.name().equals(name)) {
                throw new ValueProblem("opentherm_source " + name + " is already defined; write a different name");
            }
        }
        try {
            d.gateways.add(new DeviceSettings.Gateway(name, LineEndpoint.parse(words[1], baud -> "8N1")));
        } catch (IllegalArgumentException e) {
            throw new ValueProblem("opentherm_source: " + e.getMessage() + "; write e.g. opentherm_source " + name
                    + " serial:/dev/ttyUSB1 (or serial:/dev/ttyUSB1,9600, or tcp:192.168.1.41:25238)");
        }
    }

    static void openThermTopicPrefix(ConfigDraft d, String prefix) throws ValueProblem {
        d.openThermPrefix = topicPrefix("opentherm_topic_prefix", prefix, "opentherm");
    }

    private static String topicPrefix(String option, String prefix, String example) throws ValueProblem {
        if (prefix.isEmpty() || prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("+")
                || prefix.contains("#") || prefix.startsWith("$")) {
            throw new ValueProblem(option + " '" + prefix + "' is not a topic prefix (no wildcards, no leading"
                    + " or trailing '/', no '$'); write e.g. " + option + " " + example);
        }
        return prefix;
    }
}
