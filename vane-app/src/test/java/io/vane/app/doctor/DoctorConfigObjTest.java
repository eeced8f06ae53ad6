package io.vane.app.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ConfigObj reader on weewx.conf's shapes: nesting by bracket count, quotes, comments, and bad lines. */
class DoctorConfigObjTest {
    @TempDir
    Path dir;

    private ConfigObj.Section read(String text) throws Exception {
        Path f = dir.resolve("weewx.conf");
        Files.writeString(f, text);
        return ConfigObj.read(f);
    }

    @Test
    void nestedSectionsQuotesAndCommentsAsWeewxWritesThem() throws Exception {
        ConfigObj.Section root = read("""
                # top comment
                debug = 0
                [StdRESTful]
                    [[MQTT]]
                        server_url = mqtt://weemqtt:weepass@10.0.0.2:1883/   # inline comment
                        topic = "weather # not a comment"
                        binding = loop, archive
                        [[[tls]]]
                            ca_certs = '/etc/ssl/ca.pem'
                    [[Other]]
                        enable = false
                [StdReport]
                    [[Belchertown]]
                        [[[Extras]]]
                            mqtt_websockets_port = 9001
                """);
        assertThat(root.get("debug", null)).isEqualTo("0");
        ConfigObj.Section mqtt = root.find("StdRESTful", "MQTT");
        assertThat(mqtt.get("server_url", null)).isEqualTo("mqtt://weemqtt:weepass@10.0.0.2:1883/");
        assertThat(mqtt.value("server_url").line()).isEqualTo(5);
        assertThat(mqtt.get("topic", null)).isEqualTo("weather # not a comment");
        assertThat(mqtt.get("binding", null)).isEqualTo("loop, archive");
        assertThat(mqtt.section("tls").get("ca_certs", null)).isEqualTo("/etc/ssl/ca.pem");
        assertThat(root.find("StdRESTful", "Other").get("enable", null)).isEqualTo("false");
        assertThat(root.find("StdReport", "Belchertown", "Extras").get("mqtt_websockets_port", null)).isEqualTo("9001");
    }

    @Test
    void weewxSettingsComeFromTheUploaderAndBelchertownSections() throws Exception {
        WeewxSettings w = WeewxSettings.of(read("""
                [StdRESTful]
                    [[MQTT]]
                        server_url = mqtt://wee%40user:p%3Ass@broker.lan/
                [StdReport]
                    [[Belchertown]]
                        [[[Extras]]]
                            mqtt_websockets_enabled = 1
                            mqtt_websockets_host = weather.example.org
                            mqtt_websockets_port = 443
                            mqtt_websockets_ssl = 1
                            mqtt_websockets_topic = weather/loop
                """));
        assertThat(w.uploader().username()).isEqualTo("wee@user");
        assertThat(w.uploader().password()).isEqualTo("p:ss");
        assertThat(w.uploader().host()).isEqualTo("broker.lan");
        assertThat(w.uploader().port()).isEqualTo(1883);
        assertThat(w.uploader().topic()).isEqualTo("weather");
        assertThat(w.uploader().tls()).isFalse();
        assertThat(w.page().url()).hasToString("wss://weather.example.org:443/mqtt");
        assertThat(w.page().username()).isNull();
    }

    @Test
    void badLinesAreRefusedWithTheirLineNumber() {
        assertThatThrownBy(() -> read("[a]\n[[[b]]]\n")).isInstanceOf(ConfigObj.ParseException.class)
                .hasMessageEndingWith("weewx.conf:2: section b is nested too deeply: it has 3 brackets but the"
                        + " section before has 1");
        assertThatThrownBy(() -> read("[a]\n  key value\n")).hasMessageEndingWith(
                "weewx.conf:2: expected 'key = value' or a [section], found: key value");
        assertThatThrownBy(() -> read("[a\n")).hasMessageContaining("weewx.conf:1: section header [a is not closed");
        assertThatThrownBy(() -> read("x = 'open\n")).hasMessageEndingWith("weewx.conf:1: the quote ' is not closed");
        assertThatThrownBy(() -> read("x = 1\nx = 2\n")).hasMessageEndingWith("weewx.conf:2: 'x' is set twice in []");
    }
}
