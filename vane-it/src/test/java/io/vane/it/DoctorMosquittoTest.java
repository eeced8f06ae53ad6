package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.cli.VaneCommand;
import io.vane.testkit.MosquittoBroker;
import io.vane.testkit.Processes;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * vane doctor against Debian's mosquitto running the seed how-to's setup unchanged (its acl, a password
 * file made with mosquitto_passwd, an MQTT and a websockets listener, weewx.conf's sections with the
 * page logging in as the read-write weemqtt user): the seed's four checks pass on Mosquitto from MQTT 5
 * reason codes alone, and doctor finds what the how-to misses, the write password in the page.
 */
class DoctorMosquittoTest {
    @TempDir
    Path dir;

    private static String resource(String name) throws Exception {
        try (InputStream in = DoctorMosquittoTest.class.getResourceAsStream("/seed/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theSeedsFourChecksPassOnMosquittoAndTheWritePasswordInThePageIsFound() throws Exception {
        Path acl = dir.resolve("acl");
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(acl, resource("acl"));
        Processes.Result hashed = Processes.run(20, "mosquitto_passwd", "-c", "-b", pwfile.toString(), "weemqtt", "weepass");
        assertThat(hashed.exitCode()).as(hashed.stderr()).isZero();
        int mqtt = freePort();
        int ws = freePort();
        Path weewx = dir.resolve("weewx.conf");
        Files.writeString(weewx, """
                [StdRESTful]
                    [[MQTT]]
                        enable = true
                        server_url = mqtt://weemqtt:weepass@127.0.0.1:%d/
                        topic = weather
                        aggregation = aggregate
                        binding = loop,archive
                        log_success = true
                        log_failure = true
                [StdReport]
                    [[Belchertown]]
                        [[[Extras]]]
                           mqtt_websockets_enabled = 1
                           mqtt_websockets_host = 127.0.0.1
                           mqtt_websockets_port = %d
                           mqtt_websockets_ssl = 0
                           mqtt_websockets_topic = weather/loop
                           mqtt_websockets_username = weemqtt
                           mqtt_websockets_password = weepass
                """.formatted(mqtt, ws));
        try (MosquittoBroker mosquitto = MosquittoBroker.start(mqtt, dir, List.of("password_file " + pwfile,
                "acl_file " + acl, "listener " + ws + " 127.0.0.1", "protocol websockets"))) {
            // weewx's last loop packet, kept by the broker: what a page sees first.
            Processes.Result pub = Processes.run(10, "mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(mqtt),
                    "-u", "weemqtt", "-P", "weepass", "-r", "-t", "weather/loop",
                    "-m", "{\"dateTime\": \"1771524394.0\", \"outTemp_F\": \"51.2\"}");
            assertThat(pub.exitCode()).as(pub.stderr()).isZero();
            StringWriter out = new StringWriter();
            CommandLine cli = VaneCommand.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(new StringWriter(), true));
            int code = cli.execute("doctor", "-c", dir.resolve("mosquitto.conf").toString(), "--weewx-conf",
                    weewx.toString(), "--public-url", "ws://127.0.0.1:" + ws + "/mqtt", "--wait", "1");
            String report = out.toString();
            assertThat(report).as(mosquitto.log()).contains(
                    "PASS  the broker is up on 127.0.0.1:" + mqtt,
                    "PASS  an anonymous publish to a random topic (vane-doctor/",
                    "PASS  an anonymous publish to the weather topic (weather/vane-doctor) is refused (Not authorized)",
                    "PASS  user weemqtt logs in with the password in weewx.conf's server_url (line 4) and may publish"
                            + " to weather/vane-doctor",
                    "WARN  port " + mqtt + " (mqtt " + mqtt + " on 127.0.0.1) is held by Mosquitto 'mosquitto' (pid "
                            + mosquitto.pid(),
                    "PASS  the page's WebSocket at ws://127.0.0.1:" + ws + "/mqtt works: upgrade and MQTT CONNECT as"
                            + " weemqtt accepted",
                    "WARN  no new message on weather/loop in 1 s; the last one kept (retained) is on weather/loop"
                            + " (weewx made it at 2026-02-19T18:06:34Z",
                    "PASS  server_url's password for weemqtt matches " + pwfile,
                    "FAIL  weemqtt (the page's user) may publish to weather/loop, and every visitor can read its"
                            + " password in the page's JavaScript");
            assertThat(code).isEqualTo(1);
            // Mosquitto logged the denials the how-to reads from its log.
            assertThat(mosquitto.log()).contains("Denied PUBLISH", "'weather/vane-doctor'");
        }
    }
}
