package io.vane.app.config;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Mosquitto's logging options: log_dest, log_type, log_timestamp, log_timestamp_format,
 * connection_messages.
 *
 * @param destinations where log lines go; empty means none
 * @param file the file for {@code log_dest file}, or null
 * @param types which kinds of lines are written
 * @param timestampFormat strftime-style log_timestamp_format, or null for Mosquitto's Unix seconds
 */
public record LogSettings(Set<Destination> destinations, Path file, Set<Type> types, boolean timestamp,
        String timestampFormat, boolean connectionMessages) {

    /** log_dest values Vane supports. */
    public enum Destination { STDOUT, STDERR, FILE }

    /** log_type values (Mosquitto's words, lower case in the file). */
    public enum Type { DEBUG, ERROR, WARNING, NOTICE, INFORMATION, SUBSCRIBE, UNSUBSCRIBE, WEBSOCKETS }

    public LogSettings {
        destinations = destinations.isEmpty() ? EnumSet.noneOf(Destination.class) : EnumSet.copyOf(destinations);
        types = types.isEmpty() ? EnumSet.noneOf(Type.class) : EnumSet.copyOf(types);
    }

    /** Every type, as {@code log_type all} and {@code vane -v} ask for. */
    public static final Set<Type> ALL_TYPES = Set.copyOf(EnumSet.allOf(Type.class));

    /** A copy writing the given types, e.g. all of them for {@code -v}. */
    public LogSettings withTypes(Set<Type> newTypes) {
        return new LogSettings(destinations, file, newTypes, timestamp, timestampFormat, connectionMessages);
    }

    /** Mosquitto's defaults: stderr, error + warning + notice + information, Unix timestamps. */
    public static LogSettings defaults() {
        return new LogSettings(EnumSet.of(Destination.STDERR), null,
                EnumSet.of(Type.ERROR, Type.WARNING, Type.NOTICE, Type.INFORMATION), true, null, true);
    }
}
