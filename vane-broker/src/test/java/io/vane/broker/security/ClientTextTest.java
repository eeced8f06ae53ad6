package io.vane.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientTextTest {
    @Test
    void controlCharactersAreMosquittosSet() {
        for (char c = 0; c < 0x20; c++) {
            assertThat(ClientText.isControl(c)).isTrue();
        }
        for (char c = 0x7F; c <= 0x9F; c++) {
            assertThat(ClientText.isControl(c)).isTrue();
        }
        assertThat(ClientText.hasControl("weewx-1/ä é")).isFalse();
        assertThat(ClientText.hasControl("a\nb")).isTrue();
        assertThat(ClientText.hasControl("a\u0085b")).isTrue();
        assertThat(ClientText.hasControl(null)).isFalse();
    }

    @Test
    void logTextStaysOnOneLine() {
        String forged = "x refused.\n1796215255: Client mallory from 198.51.100.77:4242 refused";
        assertThat(ClientText.forLog(forged)).doesNotContain("\n")
                .isEqualTo("x refused.\\n1796215255: Client mallory from 198.51.100.77:4242 refused");
        assertThat(ClientText.forLog("a\r\tb\u0000\u007f\u0085\u2028")).isEqualTo("a\\r\\tb\\x00\\x7f\\x85\\u2028");
        String plain = "weather/loop\\x";
        assertThat(ClientText.forLog(plain)).isSameAs(plain);
        assertThat(ClientText.forLog((String) null)).isNull();
    }
}
