package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vane.app.Vane;
import io.vane.app.config.ConfigParser;
import io.vane.testkit.Poll;
import io.vane.testkit.Processes;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The seed how-to's configuration (its local.conf, acl and pwfile made with mosquitto_passwd -U),
 * run unchanged but for where the files live and which ports are free, and its four checks done
 * with mosquitto_pub as the how-to does them.
 */
class SeedChecksTest {
    @TempDir
    static Path dir;
    static Vane vane;
    static int port;
    static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

    private static String resource(String name) throws Exception {
        try (InputStream in = SeedChecksTest.class.getResourceAsStream("/seed/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc/mosquitto"));
        Files.writeString(etc.resolve("acl"), resource("acl"));
        Files.writeString(etc.resolve("pskfile"), resource("pskfile"));
        // As the seed does: copy the reference file, then hash it in place.
        Files.copy(etc.resolve("pskfile"), etc.resolve("pwfile"));
        Processes.Result hashed = Processes.run(20, "mosquitto_passwd", "-U", etc.resolve("pwfile").toString());
        assertThat(hashed.exitCode()).as(hashed.stderr()).isZero();
        port = freePort();
        String conf = resource("local.conf").replace("/etc/mosquitto/", etc + "/")
                .replace("listener 1883", "listener " + port).replace("listener 9001", "listener " + freePort());
        Path confFile = etc.resolve("conf.d-local.conf");
        Files.writeString(confFile, conf);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LOG.start();
        root.addAppender(LOG);
        vane = Vane.start(new ConfigParser().read(confFile));
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
        vane.close();
    }

    private static List<String> lines() {
        // AppenderBase.doAppend holds the appender's lock while it adds to the list.
        synchronized (LOG) {
            return LOG.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
        }
    }

    private static Processes.Result pub(String... args) {
        String[] cmd = new String[args.length + 5];
        cmd[0] = "mosquitto_pub";
        cmd[1] = "-h";
        cmd[2] = "localhost";
        cmd[3] = "-p";
        cmd[4] = Integer.toString(port);
        System.arraycopy(args, 0, cmd, 5, args.length);
        return Processes.run(10, cmd);
    }

    @Test
    void check1TheBrokerStarts() {
        assertThat(vane.boundAddresses()).hasSize(2);
        assertThat(lines()).anyMatch(l -> l.startsWith("Anonymous clients may do what the ACL file"));
    }

    @Test
    void check2AnonymousPublishToTestingIsDenied() {
        pub("-t", "testing", "-m", "123");
        assertThat(Poll.until(Duration.ofSeconds(5), () -> lines().stream().anyMatch(
                l -> l.matches("Denied PUBLISH from auto-[0-9A-F-]+ \\(d0, q0, r0, m0, 'testing', \\.\\.\\. \\(3 bytes\\)\\)"))))
                .as(String.join("\n", lines())).isTrue();
    }

    @Test
    void check3AnonymousPublishToTheWeatherTopicIsDenied() {
        pub("-t", "weetest/testing", "-m", "123");
        assertThat(Poll.until(Duration.ofSeconds(5), () -> lines().stream().anyMatch(
                l -> l.matches("Denied PUBLISH from auto-.* \\(d0, q0, r0, m0, 'weetest/testing', \\.\\.\\. \\(3 bytes\\)\\)"))))
                .isTrue();
    }

    @Test
    void check4TheUserMayPublish() throws Exception {
        int subscriptions = vane.broker().subscriptionCount();
        try (Processes.Background sub = Processes.start("mosquitto_sub", "-h", "localhost", "-p",
                Integer.toString(port), "-u", "weemqtt", "-P", "weepass", "-t", "weetest/#", "-C", "1", "-W", "10")) {
            assertThat(io.vane.testkit.Poll.until(java.time.Duration.ofSeconds(10),
                    () -> vane.broker().subscriptionCount() > subscriptions)).as("mosquitto_sub subscribed").isTrue();
            Processes.Result r = pub("-t", "weetest/testing", "-u", "weemqtt", "-P", "weepass", "-m", "testing123");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(sub.await(10)).isZero();
            assertThat(sub.output().strip()).isEqualTo("testing123");
        }
        assertThat(lines()).noneMatch(l -> l.contains("Denied PUBLISH") && l.contains("testing123"));
    }

    @Test
    void aWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong() {
        Processes.Result wrongPassword = pub("-t", "weetest/x", "-u", "weemqtt", "-P", "nope", "-m", "x");
        Processes.Result unknownUser = pub("-t", "weetest/x", "-u", "mallory", "-P", "weepass", "-m", "x");
        assertThat(wrongPassword.exitCode()).isNotZero();
        assertThat(unknownUser.exitCode()).isEqualTo(wrongPassword.exitCode());
        assertThat(unknownUser.stderr().replace("mallory", "X")).isEqualTo(wrongPassword.stderr().replace("weemqtt", "X"));
    }
}
