package io.vane.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.auth.ClientIdentity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decision 0014: under the secure default, anonymous clients read the meter and boiler topics only from
 * inside the home (loopback, private and link-local addresses); the weather and $SYS stay public.
 */
class HomeDataTest {

    @ParameterizedTest
    @CsvSource(textBlock = """
        127.0.0.1:50000, true
        127.8.9.10, true
        10.1.2.3:1883, true
        172.16.0.1:1, true
        172.31.255.254, true
        172.32.0.1, false
        192.168.1.20:41000, true
        169.254.10.1, true
        0:0:0:0:0:0:0:1:50000, true
        ::1, true
        fd12:3456:789a::1, true
        fe80:0:0:0:0:0:0:1:5555, true
        ::ffff:192.168.1.2, true
        203.0.113.5:4444, false
        8.8.8.8, false
        2001:db8::1, false
        0:0:0:0:0:0:0:0:1, false
        localhost, false
        example.org:80, false
        '', false
        """)
    void whichAddressesAreInsideTheHome(String address, boolean local) {
        assertThat(HomeNetwork.isLocal(address)).as(address).isEqualTo(local);
    }

    @Test
    void unknownAddressIsOutside() {
        assertThat(HomeNetwork.isLocal(null)).isFalse();
    }

    private static ClientIdentity anonymousFrom(String address) {
        return ClientIdentity.remote("page", null, 9001, address);
    }

    @Test
    void homeDataOnlyForLocalAnonymousClientsWeatherForAll() throws Exception {
        SecurityPolicy p = SecurityPolicy.secureDefault();
        ClientIdentity home = anonymousFrom("192.168.1.20:41000");
        ClientIdentity away = anonymousFrom("203.0.113.5:4444");
        for (ClientIdentity who : new ClientIdentity[] {home, away}) {
            assertThat(p.canRead(who, "weather/loop")).isTrue();
            assertThat(p.canRead(who, "$SYS/broker/uptime")).isTrue();
            assertThat(p.canSubscribe(who, "weather/#")).isTrue();
            assertThat(p.canPublish(who, "dsmr/json")).isFalse();
        }
        assertThat(p.canRead(home, "dsmr/json")).isTrue();
        assertThat(p.canSubscribe(home, "dsmr/#")).isTrue();
        assertThat(p.canRead(home, "opentherm/boiler")).isTrue();
        assertThat(p.canRead(away, "dsmr/json")).isFalse();
        assertThat(p.canRead(away, "dsmr")).isFalse();
        assertThat(p.canRead(away, "opentherm/boiler")).isFalse();
        assertThat(p.canSubscribe(away, "dsmr/#")).as("refused in SUBACK").isFalse();
        assertThat(p.canSubscribe(away, "dsmr/reading/+")).isFalse();
        // '#' overlaps the public topics: granted, and the meter's messages are filtered out.
        assertThat(p.canSubscribe(away, "#")).isTrue();
        assertThat(p.describeAnonymous().get(0)).contains("dsmr/# and opentherm/# only from loopback and private"
                + " addresses (anonymous_home_data local)");
    }

    @Test
    void theConfigCanOpenOrCloseHomeData() throws Exception {
        SecurityPolicy anywhere = new SecurityPolicy(SecuritySettings.DEFAULTS, Map.of(), HomeData.ANYWHERE);
        assertThat(anywhere.canRead(anonymousFrom("203.0.113.5:4444"), "dsmr/json")).isTrue();
        SecurityPolicy never = new SecurityPolicy(SecuritySettings.DEFAULTS, Map.of(), HomeData.NEVER);
        assertThat(never.canRead(anonymousFrom("127.0.0.1:1"), "dsmr/json")).isFalse();
        assertThat(never.canRead(anonymousFrom("127.0.0.1:1"), "weather/loop")).isTrue();
        // Users are not anonymous: without an ACL a user reads everything, wherever they are.
        ClientIdentity user = ClientIdentity.remote("ha", "homeassistant", 1883, "203.0.113.5:4444");
        assertThat(never.canRead(user, "dsmr/json")).isTrue();
    }
}
