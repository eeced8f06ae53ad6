package io.vane.devices.homeassistant;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Broker;
import io.vane.broker.Message;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.devices.p1.MeterReading;
import io.vane.devices.p1.P1Discovery;
import io.vane.devices.p1.TelegramParser;
import io.vane.devices.source.Await;
import io.vane.devices.source.Recorder;
import io.vane.devices.weather.WeatherSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Discovery configs against Home Assistant's documented MQTT discovery schema (the sensor platform's
 * keys and the Energy dashboard's requirements: device_class energy or gas, state_class total_increasing,
 * kWh or m³), field by field; re-sent when Home Assistant comes online; removed by a retained empty config.
 */
class DiscoveryPayloadTest {
    /** Keys the MQTT sensor platform documents; anything else in a config would be a typo Home Assistant rejects. */
    private static final List<String> SENSOR_KEYS = List.of("name", "unique_id", "state_topic", "value_template",
            "unit_of_measurement", "device_class", "state_class", "availability_topic", "payload_available",
            "payload_not_available", "device", "origin");
    private static final List<String> DEVICE_KEYS = List.of("identifiers", "name", "manufacturer", "model",
            "sw_version");

    private static MeterReading dsmr5() throws Exception {
        byte[] t;
        try (var in = DiscoveryPayloadTest.class.getResourceAsStream("/p1/dsmr50-iskra-mt382.txt")) {
            t = in.readAllBytes();
        }
        return MeterReading.of(((TelegramParser.Accepted) TelegramParser.parse(t)).telegram());
    }

    private static HomeAssistantDiscovery discovery(LocalClient client, MeterReading r) {
        return new HomeAssistantDiscovery(client, "vane_p1_meter", P1Discovery.device(r, "meter"), "dsmr/availability");
    }

    private static DiscoveryEntity entity(List<DiscoveryEntity> all, String id) {
        return all.stream().filter(e -> e.objectId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void energyGasPowerAndVoltageConfigsFieldByField() throws Exception {
        MeterReading r = dsmr5();
        List<DiscoveryEntity> entities = P1Discovery.entities(r, "dsmr");
        HomeAssistantDiscovery d = discovery(null, r);

        Map<String, Object> energy = d.config(entity(entities, "electricity_delivered_1"));
        assertThat(energy.keySet()).isSubsetOf(SENSOR_KEYS);
        assertThat(energy).containsEntry("name", "Energy import tariff 1")
                .containsEntry("unique_id", "vane_p1_meter_electricity_delivered_1")
                .containsEntry("state_topic", "dsmr/reading/electricity_delivered_1")
                .containsEntry("unit_of_measurement", "kWh")
                .containsEntry("device_class", "energy")
                .containsEntry("state_class", "total_increasing")
                .containsEntry("availability_topic", "dsmr/availability")
                .containsEntry("payload_available", "online")
                .containsEntry("payload_not_available", "offline")
                .doesNotContainKey("value_template");
        @SuppressWarnings("unchecked")
        Map<String, Object> device = (Map<String, Object>) energy.get("device");
        assertThat(device.keySet()).isSubsetOf(DEVICE_KEYS);
        assertThat(device).containsEntry("identifiers", List.of("vane_p1_4B384547303034303436333935353037"))
                .containsEntry("name", "Smart meter meter").containsEntry("manufacturer", "Iskra")
                .containsEntry("model", "ISk5\\2MT382-1000");

        Map<String, Object> gas = d.config(entity(entities, "extra_device_delivered"));
        assertThat(gas).containsEntry("device_class", "gas").containsEntry("state_class", "total_increasing")
                .containsEntry("unit_of_measurement", "m³")
                .containsEntry("state_topic", "dsmr/reading/extra_device_delivered");
        assertThat(d.config(entity(entities, "electricity_currently_returned"))).containsEntry("device_class", "power")
                .containsEntry("state_class", "measurement").containsEntry("unit_of_measurement", "kW");
        assertThat(d.config(entity(entities, "phase_voltage_l3"))).containsEntry("device_class", "voltage")
                .containsEntry("unit_of_measurement", "V");
        assertThat(d.config(entity(entities, "phase_power_current_l2"))).containsEntry("device_class", "current")
                .containsEntry("unit_of_measurement", "A");
        assertThat(d.config(entity(entities, "electricity_tariff_name")))
                .containsEntry("state_topic", "dsmr/meter-stats/electricity_tariff_name").doesNotContainKey("device_class");
        // Every energy or gas entity qualifies for the Energy dashboard.
        for (DiscoveryEntity e : entities) {
            if ("energy".equals(e.deviceClass())) {
                assertThat(e.stateClass()).isEqualTo("total_increasing");
                assertThat(e.unit()).isEqualTo("kWh");
            }
        }
        assertThat(d.configTopic(entity(entities, "electricity_delivered_1")))
                .isEqualTo("homeassistant/sensor/vane_p1_meter/electricity_delivered_1/config");
    }

    @Test
    void weatherUsesTheSameHelperWithValueTemplates() {
        HomeAssistantDiscovery d = new HomeAssistantDiscovery(null, "vane_weather",
                new DiscoveryDevice(List.of("vane_weather_simulator"), "Weather", "Vane", null), null);
        DiscoveryEntity temp = WeatherSimulator.discoveryEntities().get(0);
        assertThat(d.config(temp)).containsEntry("state_topic", "weather/loop")
                .containsEntry("value_template", "{{ value_json.outTemp_F }}")
                .containsEntry("unit_of_measurement", "°F").containsEntry("device_class", "temperature")
                .doesNotContainKey("availability_topic");
    }

    @Test
    void retainedResentOnHomeAssistantOnlineAndRemovedByAnEmptyConfig() throws Exception {
        try (Broker broker = Broker.withDefaults()) {
            Recorder rec = new Recorder(broker, "homeassistant/#");
            LocalClient client = broker.connectLocal(LocalClientOptions.internal("p1"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            try {
                MeterReading r = dsmr5();
                HomeAssistantDiscovery d = discovery(client, r);
                List<DiscoveryEntity> entities = P1Discovery.entities(r, "dsmr");
                d.announce(entities);
                String topic = d.configTopic(entity(entities, "electricity_delivered_1"));
                Await.until(Duration.ofSeconds(5), "the configs", () -> rec.payloads(topic).size() == 1);
                assertThat(rec.all()).filteredOn(m -> m.topic().endsWith("/config")).allMatch(Message::retain);

                broker.publish(HomeAssistantDiscovery.STATUS_TOPIC, "online", 1, true);
                Await.until(Duration.ofSeconds(5), "the configs again", () -> rec.payloads(topic).size() == 2);
                assertThat(rec.payloads(topic).get(1)).isEqualTo(rec.payloads(topic).get(0));

                d.remove(entity(entities, "electricity_delivered_1"));
                Await.until(Duration.ofSeconds(5), "the removal", () -> rec.payloads(topic).size() == 3);
                assertThat(rec.payloads(topic).get(2)).isEmpty();
                // Nothing retained is left for that entity: a late subscriber finds only the others.
                List<String> retained = new ArrayList<>();
                LocalClient late = broker.connectLocal(LocalClientOptions.internal("late"))
                        .toCompletableFuture().get(5, TimeUnit.SECONDS);
                late.subscribe("homeassistant/sensor/vane_p1_meter/+/config", 0, m -> {
                    synchronized (retained) {
                        retained.add(m.topic());
                    }
                });
                Await.until(Duration.ofSeconds(5), "the retained configs",
                        () -> { synchronized (retained) { return retained.size() == entities.size() - 1; } });
                synchronized (retained) {
                    assertThat(retained).doesNotContain(topic);
                }
                late.close();
                String body = new String(rec.all().get(0).payload(), StandardCharsets.UTF_8);
                assertThat(body).startsWith("{\"name\":");
            } finally {
                client.close();
            }
        }
    }
}
