package io.vane.app.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.vane.app.config.StrftimePattern;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Writes lines the way Mosquitto does, so existing log readers keep working:
 * {@code 1771522864: message} with log_timestamp, {@code <formatted time>: message} with
 * log_timestamp_format, and just {@code message} without a timestamp.
 */
final class MosquittoLayout extends LayoutBase<ILoggingEvent> {

    private final boolean timestamp;
    /** Null means Unix seconds, Mosquitto's default. */
    private final DateTimeFormatter format;

    MosquittoLayout(boolean timestamp, String strftimeFormat) {
        this.timestamp = timestamp;
        this.format = strftimeFormat == null ? null
                : DateTimeFormatter.ofPattern(StrftimePattern.toJava(strftimeFormat)).withZone(ZoneId.systemDefault());
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        if (timestamp) {
            Instant at = event.getInstant();
            line.append(format == null ? Long.toString(at.getEpochSecond()) : format.format(at)).append(": ");
        }
        line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) {
            line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }
}
