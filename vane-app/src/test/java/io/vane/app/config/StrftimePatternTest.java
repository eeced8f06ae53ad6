package io.vane.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vane.broker.BrokerSettings;
import io.vane.transport.ListenerConfig;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StrftimePatternTest {

    private static final ZonedDateTime AT = ZonedDateTime.of(2026, 2, 19, 18, 7, 44, 0, ZoneOffset.UTC);

    private static String format(String strftime) {
        return DateTimeFormatter.ofPattern(StrftimePattern.toJava(strftime), Locale.ENGLISH).format(AT);
    }

    @Test
    void isoLikeFormats() {
        assertThat(format("%Y-%m-%dT%H:%M:%S")).isEqualTo("2026-02-19T18:07:44");
        assertThat(format("%F %T")).isEqualTo("2026-02-19 18:07:44");
        assertThat(format("[%d/%m/%y %I%p] 100%%")).isEqualTo("[19/02/26 06PM] 100%");
    }

    @Test
    void lettersOutsideFieldsAreLiteral() {
        assertThat(format("at %H h")).isEqualTo("at 18 h");
    }

    @Test
    void unknownFieldsAreRefused() {
        assertThatThrownBy(() -> StrftimePattern.toJava("%Y %Q")).hasMessage("has '%Q', which Vane does not know");
        assertThatThrownBy(() -> StrftimePattern.toJava("%Y %")).hasMessage("ends with a lone '%'");
    }

    @Test
    void vaneConfigKeepsItsOriginalConstructorsAndCopies() {
        VaneConfig config = new VaneConfig(null, BrokerSettings.defaults(), List.of(ListenerConfig.mqtt(1)),
                LogSettings.defaults(), true);
        assertThat(config.app()).isEqualTo(AppSettings.defaults());
        assertThat(config.withListeners(List.of(ListenerConfig.mqtt(2))).listeners())
                .containsExactly(ListenerConfig.mqtt(2));
        assertThat(config.withBroker(BrokerSettings.defaults().withSysInterval(0)).broker().sysInterval()).isZero();
        assertThat(VaneConfig.defaults().listeners()).containsExactly(ListenerConfig.mqtt(1883), ListenerConfig.websockets(9001));
    }
}
