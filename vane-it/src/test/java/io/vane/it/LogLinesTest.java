package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vane.testkit.BrokerFixture;
import io.vane.testkit.Poll;
import io.vane.testkit.Processes;
import io.vane.testkit.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Log lines in Mosquitto's words, so users' habits and grep lines carry over. */
class LogLinesTest {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        lines.start();
        root.addAppender(lines);
    }

    @AfterEach
    void release() {
        root.detachAppender(lines);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    private boolean logged(String regex) {
        return messages().stream().anyMatch(m -> m.matches(regex));
    }

    @Test
    void connectAndDisconnectLinesMatchMosquittos() {
        try (BrokerFixture broker = BrokerFixture.start()) {
            String port = Integer.toString(broker.port());
            Processes.run(10, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-i", "weewx", "-u", "weemqtt", "-t",
                    "weather/loop", "-m", "{}");
            assertThat(Poll.until(Duration.ofSeconds(5), () -> logged("Client weewx disconnected\\."))).isTrue();
            assertThat(messages()).anyMatch(m -> m.matches("New connection from 127\\.0\\.0\\.1:\\d+ on port " + port + "\\."));
            assertThat(messages()).contains(messages().stream()
                    .filter(m -> m.matches("New client connected from 127\\.0\\.0\\.1:\\d+ as weewx \\(p2, c1, k60, u'weemqtt'\\)\\."))
                    .findFirst().orElse("missing: New client connected ... as weewx (p2, c1, k60, u'weemqtt')."));
            assertThat(messages()).anyMatch(m -> m.matches("Opening ipv[46] listen socket on port " + port + "\\."));
        }
    }

    @Test
    void malformedPacketNamesTheClientAndTheCause() {
        try (BrokerFixture broker = BrokerFixture.start(); RawClient c = RawClient.open(broker)) {
            c.connect(io.vane.protocol.MqttVersion.V3_1_1, "sloppy");
            c.sendHex("30 03 00 01 23");
            c.awaitClosed(Duration.ofSeconds(5));
            assertThat(Poll.until(Duration.ofSeconds(5), () -> logged(
                    "Client sloppy disconnected due to malformed packet: topic name '#' contains a wildcard \\[MQTT-3\\.3\\.2-2\\]\\.")))
                    .as(String.join("\n", messages())).isTrue();
        }
    }

    @Test
    void aResetIsTheClientClosingItsConnectionWithNoExceptionNames() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start();
                java.net.Socket s = new java.net.Socket("127.0.0.1", broker.port())) {
            io.netty.buffer.ByteBuf connect = io.vane.protocol.codec.MqttEncoder.encode(
                    io.netty.buffer.ByteBufAllocator.DEFAULT, new io.vane.protocol.packet.Connect(
                            io.vane.protocol.MqttVersion.V3_1_1, "resetter", true, 60, null, null, null,
                            io.vane.protocol.Properties.NONE), io.vane.protocol.MqttVersion.V3_1_1);
            s.getOutputStream().write(io.netty.buffer.ByteBufUtil.getBytes(connect));
            connect.release();
            s.setSoTimeout(5_000);
            assertThat(s.getInputStream().readNBytes(4)).containsExactly(0x20, 0x02, 0x00, 0x00);
            // Linger 0: close sends a reset, as a phone dropping off Wi-Fi or a killed process does.
            s.setSoLinger(true, 0);
            s.close();
            assertThat(Poll.until(Duration.ofSeconds(5), () -> logged("Client resetter closed its connection\\.")))
                    .as(String.join("\n", messages())).isTrue();
            assertThat(messages()).noneMatch(m -> m.contains("NativeIoException") || m.contains("Exception:"));
        }
    }

    @Test
    void keepAliveTimeoutIsLoggedAsMosquittoDoes() {
        try (BrokerFixture broker = BrokerFixture.start(); RawClient c = RawClient.open(broker)) {
            c.connect(io.vane.protocol.MqttVersion.V3_1_1, "sleepy", true, 1, io.vane.protocol.Properties.NONE);
            c.awaitClosed(Duration.ofSeconds(4));
            assertThat(Poll.until(Duration.ofSeconds(2), () -> logged("Client sleepy has exceeded timeout, disconnecting\\.")))
                    .isTrue();
        }
    }
}
