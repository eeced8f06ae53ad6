package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.Vane;
import io.vane.app.config.ConfigParser;
import io.vane.testkit.Processes;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/weewx-belchertown.md, steps 1-3, as written there (ports made free for the test). */
class GuideTest {
    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theGuidesConfigLetsWeewxPublishAndPagesOnlyRead() throws Exception {
        Path pw = dir.resolve("pwfile");
        assertThat(io.vane.app.cli.VaneCommand.commandLine().execute("passwd", "-c", "-b", pw.toString(), "weemqtt",
                "weepass")).isZero();
        int mqtt = freePort();
        int ws = freePort();
        Path conf = dir.resolve("vane.conf");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "# Anonymous clients (the web pages) may read the weather and nothing else.\n"
                + "topic read weather/#\n\nuser weemqtt\ntopic readwrite weather/#\n");
        Files.writeString(conf, "listener " + mqtt + "\nprotocol mqtt\nlistener " + ws + "\nprotocol websockets\n"
                + "allow_anonymous true\npassword_file " + pw + "\nacl_file " + acl + "\nsimulate_weather false\n");
        try (Vane vane = Vane.start(new ConfigParser().read(conf))) {
            String port = Integer.toString(mqtt);
            String packet = "{\"dateTime\": \"1771524394\", \"usUnits\": \"1\", \"outTemp_F\": \"61.2\"}";
            int subscriptions = vane.broker().subscriptionCount();
            try (Processes.Background page = Processes.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-t",
                    "weather/loop", "-C", "1", "-W", "10")) {
                assertThat(io.vane.testkit.Poll.until(java.time.Duration.ofSeconds(10),
                        () -> vane.broker().subscriptionCount() > subscriptions)).as("the page subscribed").isTrue();
                Processes.Result weewx = Processes.run(10, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u",
                        "weemqtt", "-P", "weepass", "-t", "weather/loop", "-m", packet);
                assertThat(weewx.exitCode()).as(weewx.stderr()).isZero();
                assertThat(page.await(10)).isZero();
                assertThat(page.output().strip()).isEqualTo(packet);
            }
            Processes.run(10, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-t", "weather/loop", "-m", "{}", "-r");
            Processes.Result retained = Processes.run(10, "mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-t",
                    "weather/loop", "-C", "1", "-W", "2");
            assertThat(retained.stdout()).as("an anonymous publish is refused, so nothing was retained").isEmpty();
        }
    }
}
