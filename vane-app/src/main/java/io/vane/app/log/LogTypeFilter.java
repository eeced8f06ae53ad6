package io.vane.app.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.vane.app.config.LogSettings.Type;
import io.vane.broker.connection.ClientConnection;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Marker;

/**
 * Decides, before a line is formatted, whether its Mosquitto log_type is enabled. SLF4J levels map
 * to types (ERROR = error, WARN = warning, INFO = notice/information, DEBUG = debug); the loggers
 * {@code vane.subscribe}, {@code vane.unsubscribe} and {@code vane.websockets} carry those types
 * whatever their level. Libraries such as Netty speak only at WARN and above unless debug is on.
 */
final class LogTypeFilter extends TurboFilter {

    private final Set<Type> types;
    private final boolean connectionMessages;

    /** @param connectionMessages connection_messages: false silences the lines marked CONNECTION */
    LogTypeFilter(Set<Type> types, boolean connectionMessages) {
        this.types = types.isEmpty() ? EnumSet.noneOf(Type.class) : EnumSet.copyOf(types);
        this.connectionMessages = connectionMessages;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (!connectionMessages && marker != null && marker.contains(ClientConnection.CONNECTION)) {
            return FilterReply.DENY;
        }
        return enabled(logger.getName(), level) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    boolean enabled(String loggerName, Level level) {
        switch (loggerName) {
            case Logging.SUBSCRIBE:
                return types.contains(Type.SUBSCRIBE);
            case Logging.UNSUBSCRIBE:
                return types.contains(Type.UNSUBSCRIBE);
            case Logging.WEBSOCKETS:
                return types.contains(Type.WEBSOCKETS);
            default:
                break;
        }
        boolean ours = loggerName.startsWith("io.vane.") || loggerName.startsWith("vane.");
        if (!ours && !level.isGreaterOrEqual(Level.WARN) && !types.contains(Type.DEBUG)) {
            return false;
        }
        return switch (level.toInt()) {
            case Level.ERROR_INT -> types.contains(Type.ERROR);
            case Level.WARN_INT -> types.contains(Type.WARNING);
            case Level.INFO_INT -> types.contains(Type.NOTICE) || types.contains(Type.INFORMATION);
            default -> types.contains(Type.DEBUG);
        };
    }
}
