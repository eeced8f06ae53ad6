package io.vane.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** opentherm_source, opentherm_topic_prefix, opentherm_refresh and simulate_opentherm, and their errors. */
class OpenThermConfigTest {
    @TempDir
    Path dir;

    private VaneConfig parse(String... lines) throws Exception {
        return ConfigFile.parse(dir, lines);
    }

    private String error(String... lines) throws IOException {
        return ConfigFile.error(dir, lines);
    }

    @Test
    void oneLinePerGateway() throws Exception {
        DeviceSettings.Boilers b = parse("opentherm_source boiler serial:/dev/ttyUSB1").app().devices().boilers();
        assertThat(b.gateways()).hasSize(1);
        assertThat(b.gateways().get(0).endpoint().path()).isEqualTo("/dev/ttyUSB1");
        assertThat(b.prefixOf(b.gateways().get(0))).isEqualTo("opentherm");
        assertThat(b.refreshSeconds()).isEqualTo(300);
        assertThat(b.simulate()).as("off with a config file").isFalse();

        DeviceSettings.Boilers two = parse("opentherm_source up serial:/dev/ttyUSB1,9600",
                "opentherm_source down tcp:192.168.1.41:25238", "opentherm_topic_prefix heating",
                "opentherm_refresh 0").app().devices().boilers();
        assertThat(two.gateways().get(0).endpoint().framing()).isEqualTo("8N1");
        assertThat(two.gateways().get(1).endpoint().port()).isEqualTo(25238);
        assertThat(two.prefixOf(two.gateways().get(1))).isEqualTo("heating/down");
        assertThat(two.refreshSeconds()).isZero();
    }

    @Test
    void simulatorOnWithoutAConfigFile() throws Exception {
        assertThat(new ConfigParser().defaults().app().devices().boilers().simulate()).isTrue();
        assertThat(parse("simulate_opentherm true").app().devices().boilers().simulate()).isTrue();
        assertThat(parse("# nothing").app().devices().boilers().simulate()).isFalse();
    }

    @Test
    void badLinesSayWhatToWrite() throws Exception {
        assertThat(error("opentherm_source /dev/ttyUSB1")).isEqualTo("vane.conf:1: opentherm_source takes a name and"
                + " where to read the gateway, got '/dev/ttyUSB1'; write e.g. opentherm_source boiler serial:/dev/ttyUSB1"
                + " (or tcp:192.168.1.41:25238)");
        assertThat(error("opentherm_source boiler tcp:host")).startsWith("vane.conf:1: opentherm_source: 'tcp:host' is"
                + " not tcp:HOST:PORT; write e.g. opentherm_source boiler serial:/dev/ttyUSB1");
        assertThat(error("opentherm_source a tcp:h:1", "opentherm_source a tcp:h:2")).isEqualTo("vane.conf:2:"
                + " opentherm_source a is already defined; write a different name");
        assertThat(error("opentherm_topic_prefix ot/#")).startsWith("vane.conf:1: opentherm_topic_prefix 'ot/#' is not"
                + " a topic prefix");
        assertThat(error("opentherm_refresh -1")).startsWith("vane.conf:1: opentherm_refresh");
    }
}
