package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.app.config.SecurityConfig;
import io.vane.app.config.VaneConfig;
import io.vane.broker.security.PasswordHash;
import io.vane.broker.security.SecuritySettings;
import io.vane.testkit.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, "hostile strings and slow clients", over real sockets: control characters in client ids
 * and user names (refused, never logged raw), slowloris CONNECTs (closed at the CONNECT deadline, TCP
 * and WebSockets), and parallel password guessing from one address (answered no sooner than in a row,
 * a right password no differently from a wrong one). Decision 0008.
 */
class HostileClientsTest {
    /** The forged line of the finding: what fail2ban would act on if it stood on a line of its own. */
    static final String FORGED = "Client mallory from 198.51.100.77:4242 refused: not authorised (Not authorized).";

    @TempDir
    Path dir;

    // ---- raw MQTT --------------------------------------------------------------------------------

    private static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 2];
        out[0] = (byte) (b.length >> 8);
        out[1] = (byte) b.length;
        System.arraycopy(b, 0, out, 2, b.length);
        return out;
    }

    /** A CONNECT (level 4 = 3.1.1, 5 = 5.0), clean start, keep-alive 60. */
    static byte[] connect(int level, String clientId, String user, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int flags = 0x02 | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
        body.writeBytes(str("MQTT"));
        body.write(level);
        body.write(flags);
        body.write(0);
        body.write(60);
        if (level == 5) {
            body.write(0); // no properties
        }
        body.writeBytes(str(clientId));
        if (user != null) {
            body.writeBytes(str(user));
        }
        if (password != null) {
            body.writeBytes(str(password));
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        int len = body.size();
        do {
            int digit = len % 128;
            len /= 128;
            packet.write(len > 0 ? digit | 0x80 : digit);
        } while (len > 0);
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    /** Sends the CONNECT and returns the CONNACK's reason code, or -1 if the broker closed without one. */
    private static int connackCode(int port, byte[] connect) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(connect);
            byte[] ack = s.getInputStream().readNBytes(4);
            if (ack.length < 4) {
                return -1;
            }
            assertThat(ack[0]).isEqualTo((byte) 0x20);
            return ack[3] & 0xFF;
        }
    }

    private VaneConfig anonymousConfig(int port) {
        return VaneConfig.defaults()
                .withListeners(List.of(new io.vane.transport.ListenerConfig(port, "127.0.0.1",
                        io.vane.transport.ListenerConfig.Protocol.MQTT, -1)))
                .withSecurity(SecurityConfig.anonymous(true));
    }

    /** Starts Vane in this JVM with the CONNECT deadline at {@code seconds} for its listeners. */
    private static Vane startWithConnectTimeout(VaneConfig config, int seconds) {
        return Vane.start(config.withApp(config.app().withConnectTimeout(seconds)));
    }

    // ---- control characters ----------------------------------------------------------------------

    @Test
    void aNewlineInAClientIdOrUserNameIsRefusedAndNeverStartsALogLine() throws Exception {
        // As users run it: the jar, the launcher's JVM options, the log on stdout as Mosquitto writes it.
        int port = VaneProcess.freePort();
        try (VaneProcess vane = VaneProcess.start(dir, port, String.join("\n", "listener " + port + " 127.0.0.1",
                "allow_anonymous true", "log_type all", ""))) {
            String forgedId = "x\n" + FORGED;
            assertThat(connackCode(port, connect(4, forgedId, null, null))).as("3.1.1: identifier rejected")
                    .isEqualTo(0x02);
            assertThat(connackCode(port, connect(5, forgedId, null, null))).as("5.0: Client Identifier not valid")
                    .isEqualTo(0x85);
            assertThat(connackCode(port, connect(4, "ok-id", "u\r\n" + FORGED, "p"))).as("3.1.1: bad user name")
                    .isEqualTo(0x04);
            assertThat(connackCode(port, connect(5, "ok-id", "u\u0085" + FORGED, "p"))).as("5.0: bad user name")
                    .isEqualTo(0x86);
            assertThat(connackCode(port, connect(4, "a\u0000b", null, null))).as("U+0000 is malformed, closed")
                    .isIn(-1, 0x02);
            assertThat(connackCode(port, connect(4, "a\u007fb", null, null))).isEqualTo(0x02);
            assertThat(connackCode(port, connect(4, "plain-id", null, null))).as("ordinary ids still welcome")
                    .isZero();
            assertThat(vane.awaitOutput(Duration.ofSeconds(5), "Client x\\nClient mallory")).isTrue();
            List<String> lines = vane.output().lines().collect(Collectors.toList());
            Pattern forgedLine = Pattern.compile("^(\\d+: )?Client mallory.*");
            assertThat(lines).as("no forged line of its own").noneMatch(l -> forgedLine.matcher(l).matches());
            assertThat(lines).anyMatch(l -> l.contains("Client x\\nClient mallory from 198.51.100.77:4242 refused"
                    + ": not authorised (Not authorized). from 127.0.0.1:") && l.contains("client id contains control"));
            assertThat(vane.isAlive()).isTrue();
        }
    }

    // ---- slowloris ---------------------------------------------------------------------------------

    /** Writes {@code bytes} one a second on its own thread; records when the broker closed the socket. */
    private static final class Dribbler implements AutoCloseable {
        final Socket socket;
        final long openedAt = System.nanoTime();
        volatile long closedAt;
        private final Thread writer;
        private final Thread reader;

        Dribbler(int port, byte[] bytes) throws IOException {
            socket = new Socket("127.0.0.1", port);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            writer = new Thread(() -> {
                try {
                    for (byte b : bytes) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(1000); // the attack's pacing
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the broker, or by the test
                }
            });
            reader = new Thread(() -> {
                try {
                    while (in.read() >= 0) {
                        // a slowloris gets no answer; keep reading until the close
                    }
                } catch (IOException e) {
                    // reset: closed too
                }
                closedAt = System.nanoTime();
            });
            writer.setDaemon(true);
            reader.setDaemon(true);
            writer.start();
            reader.start();
        }

        boolean closed() {
            return closedAt != 0;
        }

        double secondsOpen() {
            return (closedAt - openedAt) / 1e9;
        }

        @Override
        public void close() throws IOException {
            writer.interrupt();
            socket.close();
        }
    }

    @Test
    void aDribbledConnectIsClosedAtTheConnectTimeout() throws Exception {
        int timeout = 2;
        byte[] connect = connect(4, "slow-client", null, null);
        byte[] hugeHeader = {0x10, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x05, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60};
        // The deadline as a user sets it: connect_timeout in the config file.
        Path file = dir.resolve("vane.conf");
        Files.writeString(file, "allow_anonymous true\nconnect_timeout " + timeout + "\n");
        VaneConfig config = new io.vane.app.config.ConfigParser().withWorkingDirectory(dir).read(file)
                .withListeners(anonymousConfig(0).listeners());
        assertThat(config.app().connectTimeout()).isEqualTo(timeout);
        try (Vane vane = Vane.start(config)) {
            int port = vane.port(0);
            List<Dribbler> slow = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                slow.add(new Dribbler(port, connect));
            }
            slow.add(new Dribbler(port, hugeHeader)); // announces 10 MB, then dribbles
            slow.add(new Dribbler(port, new byte[0])); // sends nothing at all
            try {
                assertThat(Poll.until(Duration.ofSeconds(timeout + 5), () -> slow.stream().allMatch(Dribbler::closed)))
                        .as("every slow CONNECT closed").isTrue();
                for (Dribbler d : slow) {
                    assertThat(d.secondsOpen()).as("closed at the deadline, counted from the first byte")
                            .isLessThan(timeout + 1.5);
                }
                // The 10 MB header may be refused at once by a packet size limit; the dribblers run to the deadline.
                assertThat(slow.get(0).secondsOpen()).isGreaterThan(timeout - 0.5);
                System.out.printf("slowloris: %d connections closed after %.2f-%.2f s (CONNECT timeout %d s)%n",
                        slow.size(), slow.stream().mapToDouble(Dribbler::secondsOpen).min().orElse(0),
                        slow.stream().mapToDouble(Dribbler::secondsOpen).max().orElse(0), timeout);
                assertThat(connackCode(port, connect)).as("a prompt client is served meanwhile").isZero();
            } finally {
                for (Dribbler d : slow) {
                    d.close();
                }
            }
        }
    }

    @Test
    void aDribbledWebSocketUpgradeOrAnUpgradeWithoutConnectIsClosedAtTheConnectTimeout() throws Exception {
        int timeout = 2;
        VaneConfig config = VaneConfig.defaults()
                .withListeners(List.of(new io.vane.transport.ListenerConfig(0, "127.0.0.1",
                        io.vane.transport.ListenerConfig.Protocol.WEBSOCKETS, -1)))
                .withSecurity(SecurityConfig.anonymous(true));
        try (Vane vane = startWithConnectTimeout(config, timeout)) {
            int port = vane.port(0);
            String upgrade = "GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: mqtt\r\n\r\n";
            try (Dribbler headers = new Dribbler(port, upgrade.getBytes(StandardCharsets.US_ASCII));
                    Socket upgraded = new Socket("127.0.0.1", port)) {
                long start = System.nanoTime();
                upgraded.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
                upgraded.setSoTimeout((timeout + 5) * 1000);
                InputStream in = upgraded.getInputStream();
                String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(status).isEqualTo("HTTP/1.1 101");
                while (in.read() >= 0) {
                    // upgraded, but no CONNECT: read until the broker closes
                }
                double upgradedOpen = (System.nanoTime() - start) / 1e9;
                assertThat(upgradedOpen).isBetween(timeout - 0.5, timeout + 1.5);
                assertThat(Poll.until(Duration.ofSeconds(timeout + 3), headers::closed)).isTrue();
                assertThat(headers.secondsOpen()).isLessThan(timeout + 1.5);
                System.out.printf("slowloris over WebSockets: dribbled upgrade closed after %.2f s, upgrade without"
                        + " CONNECT after %.2f s%n", headers.secondsOpen(), upgradedOpen);
            }
        }
    }

    // ---- parallel password guessing ------------------------------------------------------------------

    /** One guess on its own socket: the CONNACK code and when it came, or -1 and when the socket closed. */
    private record Answer(int code, double seconds, double secondsOpen) {
    }

    private static Answer guess(int port, byte[] connect, long t0, int readTimeoutMillis) {
        long opened = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            opened = System.nanoTime();
            s.setSoTimeout(readTimeoutMillis);
            s.getOutputStream().write(connect);
            byte[] ack = s.getInputStream().readNBytes(4);
            long now = System.nanoTime();
            return new Answer(ack.length == 4 ? ack[3] & 0xFF : -1, (now - t0) / 1e9, (now - opened) / 1e9);
        } catch (IOException e) {
            long now = System.nanoTime();
            return new Answer(-2, (now - t0) / 1e9, (now - opened) / 1e9);
        }
    }

    @Test
    void parallelWrongPasswordsFromOneAddressAreAnsweredNoSoonerThanInARow() throws Exception {
        int timeout = 4;
        Path pw = dir.resolve("pwfile");
        Files.writeString(pw, "victim:" + PasswordHash.pbkdf2("right horse", 101).encoded() + "\n");
        VaneConfig config = VaneConfig.defaults()
                .withListeners(List.of(new io.vane.transport.ListenerConfig(0, "127.0.0.1",
                        io.vane.transport.ListenerConfig.Protocol.MQTT, -1)))
                .withSecurity(new SecurityConfig(new SecuritySettings(false, pw, null), Map.of()));
        try (Vane vane = startWithConnectTimeout(config, timeout)) {
            int port = vane.port(0);
            int n = 300;
            long t0 = System.nanoTime();
            List<Answer> answers = new CopyOnWriteArrayList<>();
            AtomicInteger next = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> answers.add(guess(port,
                        connect(4, "guess-" + next.getAndIncrement(), "victim", "wrong"), t0, (timeout + 5) * 1000)));
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            // Once the free guesses are spent, the right password joins the queue: it must fare like the rest.
            assertThat(Poll.until(Duration.ofSeconds(timeout + 10), () -> answers.size() >= 4)).isTrue();
            Answer right = guess(port, connect(4, "right-guess", "victim", "right horse"), System.nanoTime(),
                    (timeout + 5) * 1000);
            for (Thread t : threads) {
                t.join((timeout + 10) * 1000L);
            }
            assertThat(answers).hasSize(n);
            List<Answer> refused = answers.stream().filter(a -> a.code() == 0x04).sorted(
                    (a, b) -> Double.compare(a.seconds(), b.seconds())).collect(Collectors.toList());
            List<Answer> closed = answers.stream().filter(a -> a.code() < 0).collect(Collectors.toList());
            // In a row, the k-th refusal comes no sooner than the delays of those before it.
            long sequential = 0;
            int allowed = 0;
            for (int k = 1; k <= n; k++) {
                sequential += delayAfter(k);
                if (sequential <= timeout * 1000L) {
                    allowed = k;
                }
            }
            assertThat(refused.size()).as("refusals within the CONNECT timeout, as in a row").isBetween(3, allowed);
            long cumulative = 0;
            for (int k = 0; k < refused.size(); k++) {
                cumulative += delayAfter(k + 1);
                assertThat(refused.get(k).seconds()).as("refusal %d", k + 1)
                        .isGreaterThanOrEqualTo(cumulative / 1000.0 - 0.2);
            }
            assertThat(closed).as("the rest closed at the CONNECT deadline, no answer")
                    .hasSize(n - refused.size())
                    .allMatch(a -> a.secondsOpen() < timeout + 5); // slack for a loaded machine: accepts lag
            assertThat(answers).noneMatch(a -> a.code() == 0);
            assertThat(right.code()).as("the right password, queued behind wrong ones, gets the same answer: none")
                    .isEqualTo(-1);
            System.out.printf("300 parallel wrong passwords: %d refused (at %s s), %d closed at the %d s CONNECT"
                    + " timeout; the right password queued behind them closed after %.2f s without an answer%n",
                    refused.size(), refused.stream().map(a -> String.format("%.2f", a.seconds()))
                            .collect(Collectors.joining(", ")), closed.size(), timeout, right.seconds());
        }
    }

    /** FailedLoginLimiter's schedule: 1 s after three free failures, doubling, at most 60 s. */
    private static long delayAfter(int n) {
        long over = n - 3;
        return over <= 0 ? 0 : Math.min(60_000L, 1000L << Math.min(over - 1, 16));
    }
}
