package io.vane.devices.p1;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Broker;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.devices.source.Await;
import io.vane.devices.source.Recorder;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The simulated meter writes sound DSMR 5 telegrams: solar export at midday, none at night, growing counters. */
class P1SimulatorTest {
    private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");

    private static MeterReading read(SimulatedMeter m) {
        return MeterReading.of(Fixtures.accept(m.nextTelegram()));
    }

    @Test
    void middayExportsAndNightImports() {
        SimulatedMeter noon = new SimulatedMeter(Clock.fixed(Instant.parse("2024-06-21T11:00:00Z"), NL), 1);
        MeterReading r = read(noon);
        assertThat(r.field("dsmr_version").value()).isEqualTo("50");
        assertThat(r.field("timestamp_dst").value()).isEqualTo("S");
        assertThat(r.number("electricity_currently_returned")).isGreaterThan(BigDecimal.ZERO);
        assertThat(r.number("phase_currently_returned_l1")).isGreaterThan(BigDecimal.ZERO);
        assertThat(r.number("extra_device_delivered")).isGreaterThan(new BigDecimal("2000"));
        SimulatedMeter night = new SimulatedMeter(Clock.fixed(Instant.parse("2024-12-21T02:00:00Z"), NL), 1);
        MeterReading n = read(night);
        assertThat(n.field("timestamp_dst").value()).isEqualTo("W");
        assertThat(n.number("electricity_currently_returned")).isEqualByComparingTo("0");
        assertThat(n.number("electricity_currently_delivered")).isGreaterThan(BigDecimal.ZERO);
        assertThat(n.field("electricity_tariff").value()).isEqualTo(1L);
    }

    @Test
    void countersOnlyGrow() {
        Instant[] now = {Instant.parse("2024-03-01T18:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return NL;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        SimulatedMeter m = new SimulatedMeter(clock, 2);
        BigDecimal previous = DayTotals.total(read(m), "electricity_delivered");
        for (int i = 0; i < 600; i++) {
            now[0] = now[0].plusSeconds(1);
            BigDecimal total = DayTotals.total(read(m), "electricity_delivered");
            assertThat(total).isGreaterThanOrEqualTo(previous);
            previous = total;
        }
    }

    @Test
    void publishesRetainedLabelledAsSimulated() throws Exception {
        try (Broker broker = Broker.withDefaults()) {
            Recorder rec = new Recorder(broker, "dsmr/#", "$SYS/broker/vane/#");
            LocalClient client = broker.connectLocal(LocalClientOptions.internal("p1-sim"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            P1Simulator sim = new P1Simulator(Clock.systemDefaultZone(), 3, "dsmr", 100);
            try {
                sim.start(client);
                Await.until(Duration.ofSeconds(10), "three telegrams", () -> rec.payloads("dsmr/json").size() >= 3);
            } finally {
                sim.close();
                client.close();
            }
            assertThat(rec.last(P1Simulator.MARKER_TOPIC)).get().asString().contains("\"simulated\":true");
            assertThat(rec.last("dsmr/availability")).contains("online");
            assertThat(rec.last("dsmr/reading/electricity_currently_delivered")).isPresent();
            assertThat(rec.last("dsmr/day-consumption/electricity_merged")).isPresent();
            assertThat(rec.all()).filteredOn(m -> m.topic().startsWith("dsmr/")).allMatch(m -> m.retain());
        }
    }
}
