package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PubAck;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.testkit.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What all clients together make Vane hold is bounded, with the launcher's heap and defaults: 50,000
 * persistent sessions that never come back (the finding's 1 KB each, never expiring), then QoS 1
 * messages to all of them. The offline-session budget refuses new persistent sessions with Quota
 * exceeded, the queued-bytes budget drops and counts, the process stays up and serves other clients.
 * Before the budgets the JVM exited at the 110th message.
 */
class SessionBudgetTest {
    private static final int SESSIONS = Integer.getInteger("vane.budget.sessions", 50_000);
    /** Extra config lines, e.g. "max_offline_sessions 0\nglobal_max_queued_bytes 0" to see the old behaviour. */
    private static final String EXTRA = System.getProperty("vane.budget.extra", "").replace("\\n", "\n");
    private static final int MESSAGES = 200;

    @TempDir
    Path dir;

    @Test
    void fiftyThousandOfflineSessionsWithQueuesReachTheBudgetsAndVaneServesOthers() throws Exception {
        int port = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(dir, port, "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\nsys_interval 1\nconnection_messages false\n" + EXTRA + "\n")) {
            int kept = 0;
            int refused = 0;
            String filler = "x".repeat(1_000); // the finding's sessions were 1 KB each
            // Each client: CONNECT (5.0, session never expires), SUBSCRIBE at QoS 1, DISCONNECT; pipelined.
            for (int i = 0; i < SESSIONS; i++) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    String id = "offline-" + i + "-" + filler;
                    all.write(bytes(new Connect(MqttVersion.V5, id, false, 60, null, null, null,
                            Properties.builder().sessionExpiryInterval(0xFFFFFFFFL).build())));
                    all.write(bytes(new Subscribe(1, List.of(Subscription.of("budget/all", 1)), Properties.NONE)));
                    all.write(bytes(new Disconnect(0, Properties.NONE)));
                    out.write(all.toByteArray());
                    out.flush();
                    int header = s.getInputStream().read(); // CONNACK: 0x20, len, flags, reason
                    s.getInputStream().read();
                    s.getInputStream().read();
                    int reason = s.getInputStream().read();
                    assertThat(header).isEqualTo(0x20);
                    if (reason == 0) {
                        kept++;
                    } else {
                        assertThat(reason).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
                        refused++;
                    }
                }
            }
            System.out.println("SessionBudgetTest: " + kept + " persistent sessions kept, " + refused
                    + " refused with Quota exceeded");
            assertThat(refused).as("the offline-session budget was reached").isPositive();
            assertThat(vane.isAlive()).isTrue();

            try (RawClient pub = RawClient.open("127.0.0.1", port)) {
                pub.connect(MqttVersion.V3_1_1, "budget-publisher");
                byte[] payload = new byte[1024];
                for (int m = 0; m < MESSAGES; m++) {
                    pub.send(new Publish("budget/all", 1, false, false, 1 + m, Properties.NONE,
                            Unpooled.wrappedBuffer(payload)));
                    MqttPacket ack = pub.read(Duration.ofSeconds(30));
                    assertThat(ack).as("PUBACK for message %s", m).isInstanceOf(PubAck.class);
                }
            }
            assertThat(vane.isAlive()).as("alive after " + MESSAGES + " messages to every session").isTrue();
            assertThat(vane.awaitOutput(Duration.ofSeconds(10), "global_max_queued_bytes")).isTrue();

            // Others are still served: a new clean client subscribes and receives.
            try (RawClient sub = RawClient.open("127.0.0.1", port); RawClient pub = RawClient.open("127.0.0.1", port)) {
                assertThat(sub.connect(MqttVersion.V5, "late-reader").reasonCode()).isZero();
                sub.send(new Subscribe(1, List.of(Subscription.of("budget/live", 0)), Properties.NONE));
                sub.read(Duration.ofSeconds(10));
                pub.connect(MqttVersion.V3_1_1, "late-writer");
                pub.send(new Publish("budget/live", 0, false, false, 0, Properties.NONE,
                        Unpooled.wrappedBuffer("still here".getBytes())));
                MqttPacket got = sub.read(Duration.ofSeconds(10));
                assertThat(got).isInstanceOf(Publish.class);
                ((Publish) got).payload().release();
            }
            assertThat(vane.output()).doesNotContain("OutOfMemoryError");
        }
    }

    private static byte[] bytes(MqttPacket p) {
        io.netty.buffer.ByteBuf b = MqttEncoder.encode(io.netty.buffer.ByteBufAllocator.DEFAULT, p, MqttVersion.V5);
        try {
            return io.netty.buffer.ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }
}
