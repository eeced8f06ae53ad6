package io.vane.app.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vane.app.config.LogSettings;
import io.vane.app.config.LogSettings.Destination;
import io.vane.app.config.LogSettings.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {

    private static final Logger BROKER = LoggerFactory.getLogger("io.vane.broker.Test");

    @TempDir
    Path dir;

    @AfterAll
    static void quiet() throws IOException {
        Logging.configure(new LogSettings(Set.of(), null, Set.of(), true, null, true));
    }

    private List<String> logTo(Set<Type> types, boolean timestamp, String format, Runnable logging)
            throws IOException {
        Path file = dir.resolve("vane.log");
        Logging.configure(new LogSettings(EnumSet.of(Destination.FILE), file, types, timestamp, format, true));
        logging.run();
        return Files.readAllLines(file);
    }

    @Test
    void linesStartWithUnixSecondsLikeMosquitto() throws IOException {
        long before = System.currentTimeMillis() / 1000;
        List<String> lines = logTo(LogSettings.defaults().types(), true, null,
                () -> BROKER.info("vane version {} running", "dev"));
        assertThat(lines).singleElement().asString().matches("^\\d+: vane version dev running$");
        long seconds = Long.parseLong(lines.get(0).substring(0, lines.get(0).indexOf(':')));
        assertThat(seconds).isBetween(before, before + 5);
    }

    @Test
    void strftimeFormatAndNoTimestamp() throws IOException {
        assertThat(logTo(LogSettings.defaults().types(), true, "%Y-%m-%dT%H:%M:%S", () -> BROKER.warn("hello")))
                .singleElement().asString().matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d: hello$");
        Files.delete(dir.resolve("vane.log"));
        assertThat(logTo(LogSettings.defaults().types(), false, null, () -> BROKER.error("plain")))
                .containsExactly("plain");
    }

    @Test
    void fileIsAppendedTo() throws IOException {
        Files.writeString(dir.resolve("vane.log"), "earlier\n");
        assertThat(logTo(LogSettings.defaults().types(), false, null, () -> BROKER.info("later")))
                .containsExactly("earlier", "later");
    }

    @Test
    void levelsMapToMosquittoTypes() throws IOException {
        List<String> lines = logTo(EnumSet.of(Type.ERROR, Type.NOTICE), false, null, () -> {
            BROKER.error("e");
            BROKER.warn("w");
            BROKER.info("i");
            BROKER.debug("d");
        });
        assertThat(lines).containsExactly("e", "i");
    }

    @Test
    void subscribeUnsubscribeAndWebsocketsLinesNeedTheirType() throws IOException {
        Runnable lines = () -> {
            LoggerFactory.getLogger(Logging.SUBSCRIBE).info("sub");
            LoggerFactory.getLogger(Logging.UNSUBSCRIBE).info("unsub");
            LoggerFactory.getLogger(Logging.WEBSOCKETS).info("ws");
            BROKER.info("notice");
        };
        assertThat(logTo(LogSettings.defaults().types(), false, null, lines)).containsExactly("notice");
        Files.delete(dir.resolve("vane.log"));
        assertThat(logTo(EnumSet.of(Type.SUBSCRIBE, Type.WEBSOCKETS), false, null, lines))
                .containsExactly("sub", "ws");
    }

    @Test
    void librariesSpeakAtWarnUnlessDebug() throws IOException {
        Logger netty = LoggerFactory.getLogger("io.netty.channel.Test");
        Runnable lines = () -> {
            netty.info("netty info");
            netty.warn("netty warn");
            BROKER.debug("ours debug");
        };
        assertThat(logTo(LogSettings.defaults().types(), false, null, lines)).containsExactly("netty warn");
        Files.delete(dir.resolve("vane.log"));
        assertThat(logTo(LogSettings.ALL_TYPES, false, null, lines))
                .containsExactly("netty info", "netty warn", "ours debug");
    }

    @Test
    void unopenableLogFileIsAnError() throws IOException {
        Path notAFile = Files.createDirectory(dir.resolve("a-directory"));
        assertThatThrownBy(() -> Logging.configure(new LogSettings(EnumSet.of(Destination.FILE), notAFile,
                LogSettings.defaults().types(), true, null, true)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot open log file " + notAFile);
    }

    @Test
    void connectionMessagesFalseSilencesConnectionLinesOnly() throws IOException {
        Path file = dir.resolve("quiet.log");
        Logging.configure(new LogSettings(EnumSet.of(Destination.FILE), file, LogSettings.defaults().types(), false,
                null, false));
        BROKER.info(io.vane.broker.connection.ClientConnection.CONNECTION, "New client connected from {} as {}.",
                "127.0.0.1:5000", "c1");
        BROKER.info(io.vane.broker.connection.ClientConnection.CONNECTION, "Client {} disconnected.", "c1");
        BROKER.info("Denied PUBLISH from c1");
        assertThat(Files.readAllLines(file)).containsExactly("Denied PUBLISH from c1");

        assertThat(logTo(LogSettings.defaults().types(), false, null,
                () -> BROKER.info(io.vane.broker.connection.ClientConnection.CONNECTION, "Client {} disconnected.", "c1")))
                .as("connection_messages true (the default) keeps them").containsExactly("Client c1 disconnected.");
    }
}
