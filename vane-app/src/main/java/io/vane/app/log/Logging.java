package io.vane.app.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.vane.app.config.LogSettings;
import io.vane.app.config.LogSettings.Destination;
import io.vane.app.config.LogSettings.Type;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from Mosquitto's logging options, replacing whatever logback.xml set up. The
 * {@code vane} command calls this once the config is parsed; code that embeds Vane usually keeps
 * its own logging and does not.
 */
public final class Logging {

    /** Logger for log_type subscribe lines; write them at INFO. */
    public static final String SUBSCRIBE = "vane.subscribe";
    /** Logger for log_type unsubscribe lines; write them at INFO. */
    public static final String UNSUBSCRIBE = "vane.unsubscribe";
    /** Logger for log_type websockets lines; write them at INFO. */
    public static final String WEBSOCKETS = "vane.websockets";

    private Logging() {
    }

    /**
     * Resets Logback and sends lines to the destinations in {@code settings}, formatted like
     * Mosquitto's and filtered by its log types.
     *
     * @throws IOException if {@code log_dest file} names a file that cannot be opened for appending
     */
    public static void configure(LogSettings settings) throws IOException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.addTurboFilter(new LogTypeFilter(settings.types(), settings.connectionMessages()));
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        boolean debug = settings.types().contains(Type.DEBUG);
        if (settings.destinations().isEmpty() || settings.types().isEmpty()) {
            root.setLevel(Level.OFF);
            return;
        }
        root.setLevel(debug ? Level.DEBUG : Level.INFO);
        if (!debug) {
            context.getLogger("io.netty").setLevel(Level.WARN);
        }
        for (Destination destination : settings.destinations()) {
            OutputStreamAppender<ILoggingEvent> appender = switch (destination) {
                case STDOUT -> console("System.out");
                case STDERR -> console("System.err");
                case FILE -> file(settings);
            };
            appender.setContext(context);
            appender.setName(destination.name().toLowerCase(java.util.Locale.ROOT));
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            MosquittoLayout layout = new MosquittoLayout(settings.timestamp(), settings.timestampFormat());
            layout.setContext(context);
            layout.start();
            encoder.setContext(context);
            encoder.setCharset(StandardCharsets.UTF_8);
            encoder.setLayout(layout);
            encoder.start();
            appender.setEncoder(encoder);
            appender.start();
            if (!appender.isStarted()) {
                throw new IOException("cannot open log file " + settings.file() + " for appending");
            }
            root.addAppender(appender);
        }
    }

    /**
     * Opens {@code log_dest file}'s file again by its name (SIGHUP, after logrotate moved it away), so
     * lines go to the new file instead of the renamed one. The stream is swapped under the appender's
     * lock: no line is lost or split. Returns the error, or null.
     */
    public static String reopenFiles() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (java.util.Iterator<ch.qos.logback.core.Appender<ILoggingEvent>> it = root.iteratorForAppenders();
                it.hasNext();) {
            if (it.next() instanceof FileAppender<ILoggingEvent> file && file.isStarted()) {
                try {
                    file.openFile(file.getFile());
                } catch (IOException e) {
                    return "cannot reopen log file " + file.getFile() + ": " + e.getMessage();
                }
            }
        }
        return null;
    }

    private static ConsoleAppender<ILoggingEvent> console(String target) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setTarget(target);
        return appender;
    }

    private static FileAppender<ILoggingEvent> file(LogSettings settings) {
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setFile(settings.file().toString());
        appender.setAppend(true);
        return appender;
    }
}
