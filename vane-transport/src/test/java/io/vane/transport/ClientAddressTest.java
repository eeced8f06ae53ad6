package io.vane.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private static final List<String> PROXIES = List.of("10.0.0.1", "10.0.0.2");

    @Test
    void untrustedPeersHeadersAreIgnored() {
        assertThat(ClientAddress.fromHeaders("203.0.113.9", "1.2.3.4", "1.2.3.4", PROXIES)).isNull();
        assertThat(ClientAddress.fromHeaders("10.0.0.1", null, null, List.of())).isNull();
    }

    @Test
    void forwardedForIsReadFromTheRightSkippingTrustedHops() {
        assertThat(ClientAddress.fromHeaders("10.0.0.1", null, "6.6.6.6, 198.51.100.4, 10.0.0.2", PROXIES))
                .isEqualTo("198.51.100.4");
    }

    @Test
    void realIpWhenNoForwardedFor() {
        assertThat(ClientAddress.fromHeaders("10.0.0.1", "198.51.100.4", null, PROXIES)).isEqualTo("198.51.100.4");
        assertThat(ClientAddress.fromHeaders("10.0.0.1", "2001:db8::1", "", PROXIES)).isEqualTo("2001:db8::1");
    }

    @Test
    void headerTextThatIsNotAnAddressIsNotLogged() {
        assertThat(ClientAddress.fromHeaders("10.0.0.1", "evil\nINFO forged line", null, PROXIES)).isNull();
    }
}
