package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PingReq;
import io.vane.protocol.packet.PingResp;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.testkit.RawClient;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, sizes (docs/decisions/0006-size-limits.md): what one hostile client sends cannot end Vane,
 * run as users run it (the jar, the launcher's -Xmx256m and -XX:+ExitOnOutOfMemoryError). Each test
 * prints its figures for the issue's closing note.
 */
class SizeLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    // ---- 100 MB PUBLISH ---------------------------------------------------------------------------

    @Test
    void a100MegabytePublishIsRefusedFromItsFixedHeaderAndVaneStaysUp() throws Exception {
        int port = VaneProcess.freePort();
        // Anonymous clients read the weather and write nowhere. With a config file that takes allow_anonymous true
        // and an ACL (decision 0016: without allow_anonymous they would not get in at all).
        java.nio.file.Files.writeString(dir.resolve("acl"), "topic read weather/#\n");
        try (VaneProcess vane = VaneProcess.start(dir, port, "listener " + port + "\nallow_anonymous true\nacl_file "
                + dir.resolve("acl") + "\n")) {
            long rssBefore = rssKib(vane.pid());
            // 5.0: the CONNACK says the limit; the announced 100 MB gets DISCONNECT 0x95 before its body.
            long announcedLimit;
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                ConnAck ack = c.connect(MqttVersion.V5, "big5", true, 60, Properties.NONE);
                assertThat(ack.reasonCode()).isZero();
                assertThat(ack.properties().maximumPacketSize()).isNotNull();
                announcedLimit = ack.properties().maximumPacketSize();
                assertThat(announcedLimit).isLessThan(100L << 20);
                c.send(publishHeader("weather/x", 100 << 20));
                c.send(new byte[64 * 1024]); // some of the payload; the refusal needs none of it
                MqttPacket p = c.read(WAIT);
                assertThat(p).isInstanceOf(Disconnect.class);
                assertThat(((Disconnect) p).reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
            // 3.1.1: the whole 100 MB pushed as fast as the socket takes it; the broker just closes.
            long sent = pushWholePublish(port, MqttVersion.V3_1_1, 100 << 20);
            assertThat(vane.isAlive()).isTrue();
            assertServed(port);
            long rssAfter = rssKib(vane.pid());
            assertThat(vane.output()).doesNotContain("OutOfMemoryError");
            assertThat(count(vane.output(), "exceeds the maximum packet size")).isEqualTo(2);
            System.out.printf("[figures] 100 MB PUBLISH: default max_packet_size %d bytes (CONNACK), 5.0 got"
                    + " DISCONNECT 0x95, 3.1.1 closed after the client wrote %d bytes; RSS %d -> %d KiB;"
                    + " alive, another client served%n", announcedLimit, sent, rssBefore, rssAfter);
        }
    }

    /** Sends a whole PUBLISH of {@code payload} bytes on a fresh connection; returns how much got written. */
    private static long pushWholePublish(int port, MqttVersion v, int payload) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(connect(v, "big3"));
            InputStream in = s.getInputStream();
            readPacket(in); // CONNACK
            byte[] chunk = new byte[1 << 20];
            long sent = 0;
            try {
                out.write(publishHeader("weather/x", payload));
                while (sent < payload) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, payload - sent));
                    sent += chunk.length;
                }
                out.flush();
                // All written (the kernel buffers took it): the broker must still close without answering.
                assertThat(in.read()).isEqualTo(-1);
            } catch (IOException closedByTheBroker) {
                // expected: the broker closed while we were still writing
            }
            return Math.min(sent, payload);
        }
    }

    // ---- deep topics ------------------------------------------------------------------------------

    @Test
    void aRetainedTopicOf30001LevelsIsRefusedByDefaultAndStoredInLinearMemoryWithoutTheLimit() throws Exception {
        String deep = "d/".repeat(30_000) + "d";
        int port = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(dir, port, "listener " + port + "\nallow_anonymous true\n")) {
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                c.connect(MqttVersion.V5, "deep5");
                c.send(new Publish(deep, 0, true, false, 0, Properties.NONE, bytes("x")));
                MqttPacket p = c.read(WAIT);
                assertThat(p).isInstanceOf(Disconnect.class);
                assertThat(((Disconnect) p).reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
            }
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                c.connect(MqttVersion.V3_1_1, "deep3");
                c.send(new Publish(deep, 0, true, false, 0, Properties.NONE, bytes("x")));
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
            assertThat(vane.isAlive()).isTrue();
            assertServed(port);
            assertThat(vane.output()).contains("more than 201 topic levels").doesNotContain("OutOfMemoryError");
            System.out.printf("[figures] 30,001-level retained topic, default max_topic_levels 201: 5.0 DISCONNECT"
                    + " 0x90, 3.1.1 closed; alive, another client served; RSS %d KiB%n", rssKib(vane.pid()));
        }
        // Without the limit the same message is stored; memory is linear in the depth, so Vane stays up.
        Path unlimited = Files.createDirectories(dir.resolve("unlimited"));
        int port2 = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(unlimited, port2,
                "listener " + port2 + "\nallow_anonymous true\nmax_topic_levels 0\n")) {
            long before = rssKib(vane.pid());
            try (RawClient c = RawClient.open("127.0.0.1", port2)) {
                c.connect(MqttVersion.V3_1_1, "deep3");
                for (int i = 0; i < 10; i++) {
                    c.send(new Publish(deep + "/" + i, 1, true, false, i + 1, Properties.NONE, bytes("x")));
                    assertThat(c.read(WAIT)).isNotNull(); // PUBACK
                }
            }
            try (RawClient sub = RawClient.open("127.0.0.1", port2)) {
                sub.connect(MqttVersion.V3_1_1, "reader");
                // QoS 1: ten 60 KB topics are over the connection's QoS 0 high-water mark (issue 11 item 4).
                sub.send(new Subscribe(1, List.of(Subscription.of("#", 1)), Properties.NONE));
                int deepOnes = 0;
                for (MqttPacket p = sub.read(WAIT); p != null; p = sub.read(Duration.ofSeconds(2))) {
                    if (p instanceof Publish pub && pub.topic().startsWith(deep)) {
                        deepOnes++;
                    }
                }
                assertThat(deepOnes).isEqualTo(10);
            }
            assertThat(vane.isAlive()).isTrue();
            assertThat(vane.output()).doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError");
            System.out.printf("[figures] max_topic_levels 0: ten retained topics of 30,001 levels stored and"
                    + " delivered to '#'; RSS %d -> %d KiB%n", before, rssKib(vane.pid()));
        }
    }

    @Test
    void aFilterOf3000LevelsAndAMatchingPublishNeverOverflowTheStack() throws Exception {
        String topic = "weather/" + "d/".repeat(2_998) + "d";
        String filter = "weather/" + "+/".repeat(1_500) + "d/".repeat(1_498) + "#";
        int port = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(dir, port, "listener " + port + "\nallow_anonymous true\n")) {
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                c.connect(MqttVersion.V5, "filter5");
                c.send(new Subscribe(1, List.of(Subscription.of(filter, 0)), Properties.NONE));
                MqttPacket p = c.read(WAIT);
                assertThat(p).isInstanceOf(SubAck.class);
                assertThat(((SubAck) p).reasonCodes()).containsExactly(ReasonCode.TOPIC_FILTER_INVALID);
                c.send(PingReq.INSTANCE);
                assertThat(c.read(WAIT)).isEqualTo(PingResp.INSTANCE);
            }
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                c.connect(MqttVersion.V3_1_1, "filter3");
                c.send(new Subscribe(1, List.of(Subscription.of(filter, 0)), Properties.NONE));
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                c.connect(MqttVersion.V3_1_1, "publisher");
                c.send(new Publish(topic, 0, false, false, 0, Properties.NONE, bytes("x")));
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
            assertThat(vane.isAlive()).isTrue();
            assertServed(port);
            assertThat(vane.output()).doesNotContain("StackOverflowError");
        }
        // Without the limit the filter is granted and the publish delivered: matching is iterative.
        Path unlimited = Files.createDirectories(dir.resolve("unlimited"));
        int port2 = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(unlimited, port2,
                "listener " + port2 + "\nallow_anonymous true\nmax_topic_levels 0\n");
                RawClient sub = RawClient.open("127.0.0.1", port2);
                RawClient pub = RawClient.open("127.0.0.1", port2)) {
            sub.connect(MqttVersion.V3_1_1, "deep-reader");
            sub.send(new Subscribe(1, List.of(Subscription.of(filter, 0)), Properties.NONE));
            assertThat(sub.read(WAIT)).isInstanceOf(SubAck.class);
            pub.connect(MqttVersion.V3_1_1, "deep-writer");
            pub.send(new Publish(topic, 0, false, false, 0, Properties.NONE, bytes("x")));
            MqttPacket got = sub.read(WAIT);
            assertThat(got).isInstanceOf(Publish.class);
            assertThat(((Publish) got).topic()).isEqualTo(topic);
            pub.send(PingReq.INSTANCE);
            assertThat(pub.read(WAIT)).isEqualTo(PingResp.INSTANCE);
            assertThat(vane.isAlive()).isTrue();
            assertThat(vane.output()).doesNotContain("StackOverflowError");
            System.out.println("[figures] 3,000-level filter: default config SUBACK 0x8F (5.0), close (3.1.1),"
                    + " matching publish disconnected; max_topic_levels 0: granted and delivered; no"
                    + " StackOverflowError");
        }
    }

    // ---- retained budget --------------------------------------------------------------------------

    @Test
    void tenThousandRetainedMessagesOf64KibReachTheBudgetAndVaneKeepsServing() throws Exception {
        int port = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(dir, port,
                "listener " + port + "\nallow_anonymous true\nsys_interval 1\n")) {
            long start = System.nanoTime();
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(60_000);
                OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 20);
                InputStream in = s.getInputStream();
                out.write(connect(MqttVersion.V3_1_1, "filler"));
                out.flush();
                readPacket(in);
                byte[] payload = new byte[64 * 1024];
                for (int i = 0; i < 10_000; i++) {
                    out.write(publish("rf/" + i, payload, true));
                }
                out.write(new byte[] {(byte) 0xC0, 0}); // PINGREQ: its answer means all were handled
                out.flush();
                assertThat(readPacket(in)[0] & 0xFF).isEqualTo(0xD0);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(vane.isAlive()).isTrue();
            assertServed(port);
            Map<String, String> sys = retainedSys(port);
            long stored = Long.parseLong(sys.get("count"));
            long refused = Long.parseLong(sys.get("refused"));
            assertThat(refused).isPositive();
            assertThat(stored).isLessThan(10_000);
            // The budget still takes replacements: topic rf/0 was stored first, so it can be replaced.
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                c.connect(MqttVersion.V3_1_1, "replacer");
                c.send(new Publish("rf/0", 1, true, false, 1, Properties.NONE, bytes("new")));
                assertThat(c.read(WAIT)).isNotNull(); // PUBACK
            }
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                c.connect(MqttVersion.V3_1_1, "checker");
                c.send(new Subscribe(1, List.of(Subscription.of("rf/0", 0)), Properties.NONE));
                assertThat(c.read(WAIT)).isInstanceOf(SubAck.class);
                MqttPacket p = c.read(WAIT);
                assertThat(p).isInstanceOf(Publish.class);
                assertThat(((Publish) p).payload().toString(StandardCharsets.UTF_8)).isEqualTo("new");
            }
            // Rate-limited: one line a minute at most, however many were refused.
            int lines = count(vane.output(), "Retained message budget full");
            assertThat(lines).isBetween(1, 1 + (int) (seconds / 60));
            assertThat(vane.output()).doesNotContain("OutOfMemoryError");
            System.out.printf("[figures] 10,000 x 64 KiB retained in %.1f s: %d stored (%s bytes counted),"
                    + " %d refused, %d log line(s); alive, others served, replacement stored; RSS %d KiB%n", seconds,
                    stored, sys.get("bytes"), refused, lines, rssKib(vane.pid()));
        }
    }

    /**
     * $SYS/broker/retained messages/{count,bytes,refused} once they show refusals and have stopped
     * changing (two reads over more than one sys_interval agree).
     */
    private static Map<String, String> retainedSys(int port) throws InterruptedException {
        Map<String, String> previous = Map.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, String> values = new TreeMap<>();
            try (RawClient c = RawClient.open("127.0.0.1", port)) {
                c.connect(MqttVersion.V3_1_1, "sys-reader");
                c.send(new Subscribe(1, List.of(Subscription.of("$SYS/broker/retained messages/+", 0)),
                        Properties.NONE));
                for (MqttPacket p = c.read(WAIT); p != null; p = c.read(Duration.ofMillis(500))) {
                    if (p instanceof Publish pub) {
                        String name = pub.topic().substring(pub.topic().lastIndexOf('/') + 1);
                        values.put(name, pub.payload().toString(StandardCharsets.UTF_8));
                    }
                }
            }
            if (values.keySet().containsAll(List.of("count", "bytes", "refused"))
                    && !values.get("refused").equals("0") && values.equals(previous)) {
                return values;
            }
            previous = values;
            Thread.sleep(1_200); // $SYS publishes every second (sys_interval 1): wait one interval per poll
        }
        throw new AssertionError("$SYS retained figures never settled with refusals: " + previous);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Another client connects, subscribes and gets a PINGRESP: the broker still serves. */
    private static void assertServed(int port) {
        try (RawClient c = RawClient.open("127.0.0.1", port)) {
            assertThat(c.connect(MqttVersion.V5, "bystander").reasonCode()).isZero();
            c.send(new Subscribe(1, List.of(Subscription.of("weather/#", 0)), Properties.NONE));
            assertThat(c.read(WAIT)).isInstanceOf(SubAck.class);
            c.send(PingReq.INSTANCE);
            MqttPacket p;
            do {
                p = c.read(WAIT);
            } while (p instanceof Publish);
            assertThat(p).isEqualTo(PingResp.INSTANCE);
        }
    }

    private static io.netty.buffer.ByteBuf bytes(String s) {
        return io.netty.buffer.Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] connect(MqttVersion v, String clientId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(v == MqttVersion.V5 ? 5 : 4);
        body.write(0x02); // clean
        body.write(0);
        body.write(60);
        if (v == MqttVersion.V5) {
            body.write(0); // no properties
        }
        writeString(body, clientId);
        return packet(0x10, body.toByteArray());
    }

    /** Fixed header and topic of a 3.1.1 QoS 0 PUBLISH whose payload of {@code payload} bytes follows. */
    private static byte[] publishHeader(String topic, int payload) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeVarInt(out, 2 + t.length + payload);
        out.write(t.length >> 8);
        out.write(t.length);
        out.writeBytes(t);
        return out.toByteArray();
    }

    private static byte[] publish(String topic, byte[] payload, boolean retain) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream(2 + t.length + payload.length);
        body.write(t.length >> 8);
        body.write(t.length);
        body.writeBytes(t);
        body.writeBytes(payload);
        return packet(retain ? 0x31 : 0x30, body.toByteArray());
    }

    private static byte[] packet(int first, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
        out.write(first);
        writeVarInt(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length);
        out.writeBytes(b);
    }

    private static void writeVarInt(ByteArrayOutputStream out, int value) {
        do {
            int b = value & 0x7F;
            value >>>= 7;
            out.write(value > 0 ? b | 0x80 : b);
        } while (value > 0);
    }

    /** One whole packet from the stream. */
    private static byte[] readPacket(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int first = in.read();
        if (first < 0) {
            throw new IOException("closed");
        }
        out.write(first);
        int remaining = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.read();
            out.write(b);
            remaining |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                break;
            }
        }
        out.writeBytes(in.readNBytes(remaining));
        return out.toByteArray();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** The process's resident set in KiB, from /proc; -1 where there is no /proc. */
    static long rssKib(long pid) {
        try {
            Matcher m = Pattern.compile("VmRSS:\\s+(\\d+)").matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
