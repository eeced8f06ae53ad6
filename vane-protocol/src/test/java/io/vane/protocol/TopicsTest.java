package io.vane.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Topic name/filter validation (section 4.7) and shared subscription syntax (5.0 section 4.8.2). */
class TopicsTest {

    @Test
    void validFilters() {
        for (String f : new String[] {"#", "+", "sport/#", "sport/+/player1", "+/+", "/+", "a//b", "$SYS/#", "/"}) {
            assertThat(Topics.validateTopicFilter(f)).as(f).isNull();
        }
    }

    @Test
    void controlCharactersAreRefusedInNamesAndFilters() {
        for (String t : new String[] {"a\nb", "a\rb", "\u0000", "tab\there", "del\u007F", "nel\u0085", "x\u009F"}) {
            assertThat(Topics.validateTopicName(t)).as(t).contains("control character").contains("MQTT-1.5.4");
            assertThat(Topics.validateTopicFilter(t + "/#")).as(t).contains("control character");
        }
        assertThat(Topics.validateTopicName("weather/température/°C")).isNull();
        assertThat(Topics.validateTopicName("a\u00A0b")).as("U+00A0 is not a control character").isNull();
    }

    @Test
    void MQTT_4_7_1_1_hashMustBeLastAndAlone() {
        for (String f : new String[] {"sport/tennis#", "sport/#/ranking", "#/a", "a#"}) {
            assertThat(Topics.validateTopicFilter(f)).as(f).contains("MQTT-4.7.1-1");
        }
    }

    @Test
    void MQTT_4_7_1_2_plusMustBeAloneInItsLevel() {
        for (String f : new String[] {"sport+", "a/b+/c", "+a"}) {
            assertThat(Topics.validateTopicFilter(f)).as(f).contains("MQTT-4.7.1-2");
        }
    }

    @Test
    void MQTT_4_7_3_1_atLeastOneCharacter() {
        assertThat(Topics.validateTopicFilter("")).contains("MQTT-4.7.3-1");
        assertThat(Topics.validateTopicName("")).contains("MQTT-4.7.3-1");
    }

    @Test
    void topicNamesHaveNoWildcards() {
        assertThat(Topics.validateTopicName("a/+")).contains("MQTT-3.3.2-2");
        assertThat(Topics.validateTopicName("a/b")).isNull();
    }

    @Test
    void sharedSubscriptions() {
        assertThat(Topics.parseShared("$share/g/a/+")).isEqualTo(new Topics.SharedFilter("g", "a/+"));
        assertThat(Topics.parseShared("$share//a")).isNull();
        assertThat(Topics.parseShared("$share/g")).isNull();
        assertThat(Topics.parseShared("$share/g/")).isNull();
        assertThat(Topics.parseShared("$share/g+/a")).isNull();
        assertThat(Topics.isShared("$SYS/x")).isFalse();
    }

    @Test
    void topicLevelsAreLimitedAsMosquittoDoes() {
        // Mosquitto refuses more than 200 '/' (TOPIC_HIERARCHY_LIMIT): 201 levels pass, 202 do not.
        String levels201 = "a/".repeat(200) + "a";
        assertThat(Topics.validateTopicName(levels201, 201)).isNull();
        assertThat(Topics.validateTopicName(levels201 + "/a", 201)).contains("max_topic_levels");
        assertThat(Topics.validateTopicFilter("+/".repeat(201) + "#", 201)).contains("max_topic_levels");
        assertThat(Topics.validateTopicFilter("+/".repeat(200) + "#", 201)).isNull();
        assertThat(Topics.validateTopicName("d/".repeat(30_000) + "d", 0)).isNull();
        assertThat(Topics.checkLevels("///", 3)).isNotNull();
        assertThat(Topics.checkLevels("//", 3)).isNull();
    }
}
