package io.vane.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestPathTest {
    @Test
    void plainPathsPass() {
        assertThat(RequestPath.safe("/")).isEmpty();
        assertThat(RequestPath.safe("/index.html?x=1")).isEqualTo("index.html");
        assertThat(RequestPath.safe("/a/b/")).isEqualTo("a/b/");
        assertThat(RequestPath.safe("/my%20page.html")).isEqualTo("my page.html");
        assertThat(RequestPath.safe("/webjars/paho-mqtt/1.1.0/paho-mqtt.js")).isEqualTo(
                "webjars/paho-mqtt/1.1.0/paho-mqtt.js");
    }

    @Test
    void climbingOutIsRefusedInEverySpelling() {
        for (String bad : new String[] {"/..", "/../x", "/a/../../x", "/%2e%2e/x", "/%2E%2e%2fx", "/.%2e/x",
                "/a\\..\\x", "/a%5c..%5cx", "/./x", "//x", "/a//b", "/x%00", "/c:/x", "/%zz", "x", "*"}) {
            assertThat(RequestPath.safe(bad)).as(bad).isNull();
        }
    }
}
