package io.vane.transport.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressRuleTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void loopbackIsAlwaysAllowedAndNothingElseByDefault() throws Exception {
        assertThat(AddressRule.LOOPBACK.allows(ip("127.0.0.1"))).isTrue();
        assertThat(AddressRule.LOOPBACK.allows(ip("127.9.9.9"))).isTrue();
        assertThat(AddressRule.LOOPBACK.allows(ip("::1"))).isTrue();
        assertThat(AddressRule.LOOPBACK.allows(ip("192.168.1.7"))).isFalse();
        assertThat(AddressRule.LOOPBACK.allows(null)).isFalse();
    }

    @Test
    void networksMatchByPrefix() throws Exception {
        AddressRule rule = AddressRule.loopbackAnd(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8", "172.16.0.0/12"));
        assertThat(rule.allows(ip("10.200.3.4"))).isTrue();
        assertThat(rule.allows(ip("11.0.0.1"))).isFalse();
        assertThat(rule.allows(ip("192.168.1.7"))).isTrue();
        assertThat(rule.allows(ip("192.168.1.8"))).isFalse();
        assertThat(rule.allows(ip("fd12::1"))).isTrue();
        assertThat(rule.allows(ip("fe80::1"))).isFalse();
        assertThat(rule.allows(ip("172.31.255.255"))).isTrue();
        assertThat(rule.allows(ip("172.32.0.0"))).isFalse();
        assertThat(rule.opensBeyondLoopback()).isTrue();
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedWithAnExample() {
        assertThatThrownBy(() -> AddressRule.loopbackAnd(List.of("prometheus.local")))
                .hasMessageContaining("'prometheus.local' is not an IP address").hasMessageContaining("write e.g.");
        assertThatThrownBy(() -> AddressRule.loopbackAnd(List.of("10.0.0.0/33")))
                .hasMessageContaining("no valid prefix length; write e.g. 10.0.0.0/24");
    }
}
