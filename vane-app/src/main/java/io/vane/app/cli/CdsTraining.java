package io.vane.app.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run for Vane's class-data-sharing archive (issue 17, start-up): the Maven build runs it
 * under {@code -XX:ArchiveClassesAtExit}, so the archive holds the classes a real start loads. It starts
 * Vane through the same command line a user runs, with a config of its own on free loopback ports,
 * makes one MQTT round trip and fetches the page over the WebSocket port, then exits 0 (the JVM writes
 * the archive at exit). Not a user command; a failed step is reported and the archive is still written.
 */
public final class CdsTraining {
    private static final int READY_MILLIS = 60_000;

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        // The build passes a directory under target/, so nothing is left elsewhere.
        Path dir = args.length > 0 ? Files.createDirectories(Path.of(args[0])) : Files.createTempDirectory("vane-cds");
        int mqtt = freePort();
        int web = freePort();
        Path conf = dir.resolve("vane.conf");
        Files.writeString(conf, "listener " + mqtt + " 127.0.0.1\nallow_anonymous true\n"
                + "listener " + web + " 127.0.0.1\nprotocol websockets\n"
                + "persistence true\npersistence_location " + dir + "/\nlog_dest none\n");
        Thread broker = new Thread(() -> VaneCommand.commandLine().execute("-c", conf.toString()), "vane");
        broker.setDaemon(true);
        broker.start();
        try {
            awaitListening(mqtt);
            roundTrip(mqtt);
            fetchPage(web);
            System.err.println("cds-training: started, one MQTT round trip and the page fetched");
        } catch (IOException | RuntimeException e) {
            System.err.println("cds-training: " + e + "; the archive holds what was loaded so far");
        }
        System.exit(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_MILLIS * 1_000_000L;
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("Vane did not listen on " + port + " within " + READY_MILLIS + " ms");
                }
                Thread.sleep(20); // polling a port that is not open yet: nothing to wait on but time
            }
        }
    }

    private static void roundTrip(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            send(out, new Connect(MqttVersion.V5, "cds-training", true, 60, null, null, null, Properties.NONE));
            readPacket(in);
            send(out, new Subscribe(1, java.util.List.of(Subscription.of("cds/#", 1)), Properties.NONE));
            readPacket(in);
            send(out, new Publish("cds/t", 1, true, false, 2, Properties.NONE,
                    io.netty.buffer.Unpooled.wrappedBuffer("x".getBytes(StandardCharsets.US_ASCII))));
            readPacket(in); // PUBACK and the delivery, in either order
            readPacket(in);
            send(out, new Disconnect(0, Properties.NONE));
        }
    }

    private static void send(OutputStream out, MqttPacket p) throws IOException {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, MqttVersion.V5);
        try {
            out.write(ByteBufUtil.getBytes(b));
        } finally {
            b.release();
        }
    }

    private static void readPacket(InputStream in) throws IOException {
        if (in.read() < 0) {
            throw new IOException("connection closed");
        }
        int remaining = 0;
        for (int i = 0, b = 0x80; (b & 0x80) != 0; i++) {
            b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            remaining |= (b & 0x7F) << (7 * i);
        }
        in.readNBytes(remaining);
    }

    private static void fetchPage(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        } finally {
            c.disconnect();
        }
    }
}
