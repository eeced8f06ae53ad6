package io.vane.app.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.app.cli.VaneCommand;
import io.vane.app.config.ConfigParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The seed how-to's setup in a temporary folder, on free ports: a password file with weemqtt:weepass,
 * an ACL (anonymous clients read weather/#, weemqtt reads and writes it), a config with an MQTT and a
 * websockets listener, and a weewx.conf whose [[MQTT]] and Belchertown settings agree with it. Tests
 * change one part to make one of the seeds' failures, start Vane when they need it running, and run
 * {@code vane doctor} through the real command line.
 */
final class SeedSetup implements AutoCloseable {
    final Path dir;
    final int mqttPort;
    final int wsPort;
    final Path pwfile;
    final Path acl;
    final Path conf;
    final Path weewx;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private Vane vane;
    private ScheduledExecutorService weewxLoop;

    SeedSetup(Path dir) throws IOException {
        this.dir = dir;
        this.mqttPort = freePort();
        this.wsPort = freePort();
        pwfile = dir.resolve("pwfile");
        acl = dir.resolve("acl");
        conf = dir.resolve("vane.conf");
        weewx = dir.resolve("weewx.conf");
        int made = VaneCommand.commandLine().execute("passwd", "-c", "-b", pwfile.toString(), "weemqtt", "weepass");
        assertThat(made).isZero();
        Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(acl, """
                # anonymous clients (the live page) read the weather
                topic read weather/#
                topic read $SYS/#

                user weemqtt
                topic readwrite weather/#
                """);
        writeConf("");
        writeWeewx("mqtt://weemqtt:weepass@127.0.0.1:" + mqttPort + "/", "weather/loop", "0");
    }

    /** The seed's local.conf on this setup's ports, with {@code extra} lines at the end. */
    SeedSetup writeConf(String extra) throws IOException {
        Files.writeString(conf, "persistence false\nallow_anonymous true\npassword_file " + pwfile + "\nacl_file " + acl
                + "\nlistener " + mqttPort + "\nprotocol mqtt\nlistener " + wsPort + "\nprotocol websockets\n" + extra);
        return this;
    }

    /** The seed's weewx.conf sections (with the page anonymous, as a read-only page should be). */
    SeedSetup writeWeewx(String serverUrl, String pageTopic, String ssl) throws IOException {
        Files.writeString(weewx, """
                # WEEWX CONFIGURATION FILE (the parts vane doctor reads)
                debug = 0

                [StdRESTful]
                    [[MQTT]]
                        enable = true
                        server_url = %s
                        topic = weather      # weewx-mqtt publishes weather/loop
                        aggregation = aggregate
                        binding = loop,archive

                [StdReport]
                    SKIN_ROOT = skins
                    [[Belchertown]]
                        skin = Belchertown
                        [[[Extras]]]
                            mqtt_websockets_enabled = 1
                            mqtt_websockets_host = 127.0.0.1
                            mqtt_websockets_port = %d
                            mqtt_websockets_ssl = %s
                            mqtt_websockets_topic = "%s"
                """.formatted(serverUrl, wsPort, ssl, pageTopic));
        return this;
    }

    SeedSetup start() throws Exception {
        vane = Vane.start(new ConfigParser().read(conf));
        return this;
    }

    /** Plays weewx: a loop packet on weather/loop every 100 ms, stamped as weewx-mqtt stamps them. */
    SeedSetup publishing() {
        weewxLoop = Executors.newSingleThreadScheduledExecutor();
        weewxLoop.scheduleAtFixedRate(() -> vane.broker().publish("weather/loop", "{\"dateTime\": \""
                + System.currentTimeMillis() / 1000 + ".0\", \"outTemp_C\": \"12.3\"}", 0, false),
                0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Runs {@code vane doctor -c conf --weewx-conf weewx --wait 2 ARGS}; returns the exit code. */
    int doctor(String... args) {
        List<String> all = new ArrayList<>(List.of("doctor", "-c", conf.toString(), "--weewx-conf", weewx.toString(),
                "--wait", "2", "--timeout", "2"));
        if (Arrays.stream(args).noneMatch("--service-user"::equals)) {
            // Judged as whoever runs the test, not a vane account the machine may have from the package test.
            all.addAll(List.of("--service-user", System.getProperty("user.name")));
        }
        all.addAll(List.of(args));
        picocli.CommandLine cli = VaneCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(all.toArray(new String[0]));
    }

    String pageUrl() {
        return "ws://127.0.0.1:" + wsPort + "/mqtt";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (weewxLoop != null) {
            weewxLoop.shutdownNow();
        }
        if (vane != null) {
            vane.close();
        }
    }
}
