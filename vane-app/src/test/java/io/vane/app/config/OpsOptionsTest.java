package io.vane.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** http_metrics_allow and http_health_allow: loopback by default, networks when written, bad ones stop. */
class OpsOptionsTest {
    @TempDir
    Path dir;

    private VaneConfig parse(String... lines) throws Exception {
        Path file = dir.resolve("vane.conf");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return new ConfigParser().withWorkingDirectory(dir).read(file);
    }

    @Test
    void loopbackOnlyUnlessWritten() throws Exception {
        OpsSettings ops = parse("# nothing").app().ops();
        assertThat(ops.metricsAllow().allows(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(ops.metricsAllow().allows(InetAddress.getByName("10.1.2.3"))).isFalse();
        assertThat(ops.healthAllow().allows(InetAddress.getByName("10.1.2.3"))).isFalse();
    }

    @Test
    void eachOptionOpensItsOwnPages() throws Exception {
        OpsSettings ops = parse("http_metrics_allow 10.0.0.0/8, 192.168.1.7", "http_health_allow fd00::/8").app().ops();
        assertThat(ops.metricsAllow().allows(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(ops.metricsAllow().allows(InetAddress.getByName("192.168.1.7"))).isTrue();
        assertThat(ops.healthAllow().allows(InetAddress.getByName("10.1.2.3"))).isFalse();
        assertThat(ops.healthAllow().allows(InetAddress.getByName("fd00::5"))).isTrue();
    }

    @Test
    void aHostNameStopsStartUpAtItsLine() {
        assertThatThrownBy(() -> parse("# metrics", "http_metrics_allow prometheus.lan"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("vane.conf:2: http_metrics_allow: 'prometheus.lan' is not an IP address");
    }
}
