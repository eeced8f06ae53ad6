package io.vane.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.security.HomeData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dsmr_source, dsmr_topic_prefix, dsmr_refresh_interval, simulate_p1 and anonymous_home_data, and their errors. */
class P1ConfigTest {
    @TempDir
    Path dir;

    private VaneConfig parse(String... lines) throws Exception {
        return ConfigFile.parse(dir, lines);
    }

    private String error(String... lines) throws IOException {
        return ConfigFile.error(dir, lines);
    }

    @Test
    void oneLinePerMeter() throws Exception {
        DeviceSettings d = parse("dsmr_source meter serial:/dev/ttyUSB0").app().devices();
        assertThat(d.meters()).hasSize(1);
        assertThat(d.meters().get(0).endpoint().path()).isEqualTo("/dev/ttyUSB0");
        assertThat(d.meters().get(0).endpoint().baud()).as("detected").isZero();
        assertThat(d.prefixOf(d.meters().get(0))).isEqualTo("dsmr");
        assertThat(d.simulateP1()).as("off with a config file").isFalse();

        DeviceSettings two = parse("dsmr_source home serial:/dev/ttyAMA0,9600", "dsmr_source shed tcp:192.168.1.40:2001",
                "dsmr_topic_prefix meters", "dsmr_refresh_interval 60").app().devices();
        assertThat(two.meters().get(0).endpoint().framing()).isEqualTo("7E1");
        assertThat(two.meters().get(1).endpoint().host()).isEqualTo("192.168.1.40");
        assertThat(two.meters().get(1).endpoint().port()).isEqualTo(2001);
        assertThat(two.prefixOf(two.meters().get(1))).isEqualTo("meters/shed");
        assertThat(two.dsmrRefreshSeconds()).isEqualTo(60);
        assertThat(parse("dsmr_source m serial:/dev/ttyUSB0,115200,8n1").app().devices().meters().get(0).endpoint()
                .framing()).isEqualTo("8N1");
    }

    @Test
    void simulatorOnWithoutAConfigFile() throws Exception {
        assertThat(new ConfigParser().defaults().app().devices().simulateP1()).isTrue();
        assertThat(parse("simulate_p1 true").app().devices().simulateP1()).isTrue();
        assertThat(parse("# nothing").app().devices().simulateP1()).isFalse();
    }

    @Test
    void homeDataIsLocalUnlessTheFileSaysOtherwise() throws Exception {
        assertThat(new ConfigParser().defaults().security().homeData()).isEqualTo(HomeData.LOCAL);
        assertThat(parse("# nothing").security().homeData()).isEqualTo(HomeData.LOCAL);
        assertThat(parse("anonymous_home_data anywhere").security().homeData()).isEqualTo(HomeData.ANYWHERE);
        assertThat(parse("anonymous_home_data never").security().homeData()).isEqualTo(HomeData.NEVER);
    }

    @Test
    void badLinesSayWhatToWrite() throws Exception {
        assertThat(error("dsmr_source /dev/ttyUSB0")).isEqualTo("vane.conf:1: dsmr_source takes a name and where to"
                + " read the meter, got '/dev/ttyUSB0'; write e.g. dsmr_source meter serial:/dev/ttyUSB0"
                + " (or tcp:192.168.1.40:2001)");
        assertThat(error("dsmr_source meter /dev/ttyUSB0")).isEqualTo("vane.conf:1: dsmr_source: '/dev/ttyUSB0' names"
                + " neither a serial port nor a TCP converter; write e.g. dsmr_source meter serial:/dev/ttyUSB0 (or"
                + " serial:/dev/ttyUSB0,115200,8N1, or tcp:192.168.1.40:2001)");
        assertThat(error("dsmr_source meter serial:/dev/ttyUSB0,fast")).startsWith("vane.conf:1: dsmr_source: baud"
                + " rate 'fast' is not a number");
        assertThat(error("dsmr_source meter tcp:host")).startsWith("vane.conf:1: dsmr_source: 'tcp:host' is not"
                + " tcp:HOST:PORT; write e.g.");
        assertThat(error("dsmr_source a tcp:h:1", "dsmr_source a tcp:h:2")).isEqualTo("vane.conf:2: dsmr_source a is"
                + " already defined; write a different name");
        assertThat(error("dsmr_topic_prefix dsmr/#")).startsWith("vane.conf:1: dsmr_topic_prefix 'dsmr/#' is not a");
        assertThat(error("anonymous_home_data yes")).isEqualTo("vane.conf:1: anonymous_home_data needs one of local,"
                + " anywhere, never, got 'yes'; write e.g. anonymous_home_data local");
        assertThat(error("simulate_p1 yes")).isEqualTo("vane.conf:1: simulate_p1 needs true or false, got 'yes';"
                + " write e.g. simulate_p1 true");
    }
}
