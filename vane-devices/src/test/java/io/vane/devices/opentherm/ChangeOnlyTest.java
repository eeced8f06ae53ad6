package io.vane.devices.opentherm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.broker.Broker;
import io.vane.broker.Message;
import io.vane.broker.local.LocalClient;
import io.vane.broker.local.LocalClientOptions;
import io.vane.devices.source.Await;
import io.vane.devices.source.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 10,000 frames (5,000 exchanges, one frame every half second as a boiler sends them) in which 20 values
 * change, through the real decoder and publisher into a real broker: 20 publishes beyond the first
 * value of each topic, plus the refreshes, counted on the broker. Temperatures that jitter inside
 * their 0.1 °C dead band cost nothing.
 */
class ChangeOnlyTest {
    static final int FRAMES = 10_000;
    static final int CHANGES = 20;

    /** The stream: five exchanges per round (status, flow, return, modulation, room temperature). */
    private static List<String> stream() {
        List<String> lines = new ArrayList<>();
        int round = 0;
        double flow = 50.0;
        while (lines.size() < FRAMES) {
            // Every 45th round the flow temperature moves a whole degree: 20 changes in 1,000 rounds...
            if (round > 0 && round % 45 == 0 && round / 45 <= CHANGES) {
                flow += 1.0;
            }
            // ...while it jitters by 0.05 °C every other round, inside the dead band.
            double jitter = round % 2 == 0 ? 0 : 0.05;
            lines.add(line('T', MessageType.READ_DATA, 0, 0x0300));
            lines.add(line('B', MessageType.READ_ACK, 0, 0x030A));
            lines.add(line('T', MessageType.READ_DATA, 25, 0));
            lines.add(line('B', MessageType.READ_ACK, 25, SimulatedGateway.f88(flow + jitter)));
            lines.add(line('T', MessageType.READ_DATA, 28, 0));
            lines.add(line('B', MessageType.READ_ACK, 28, SimulatedGateway.f88(40.0)));
            lines.add(line('T', MessageType.READ_DATA, 17, 0));
            lines.add(line('B', MessageType.READ_ACK, 17, SimulatedGateway.f88(35.0)));
            lines.add(line('T', MessageType.WRITE_DATA, 24, SimulatedGateway.f88(20.5)));
            lines.add(line('B', MessageType.WRITE_ACK, 24, SimulatedGateway.f88(20.5)));
            round++;
        }
        return lines;
    }

    private static String line(char from, MessageType type, int id, int value) {
        return from + OtFrame.of(type, id, value).hex();
    }

    /** Runs the stream; returns the one-value publishes the broker routed. */
    private static long run(long refreshMillis, long[] topics) throws Exception {
        try (Broker broker = Broker.withDefaults()) {
            Recorder rec = new Recorder(broker, "opentherm/#");
            LocalClient client = broker.connectLocal(LocalClientOptions.internal("vane-source-boiler"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            StepClock clock = new StepClock(1_800_000_000_000L);
            OpenThermPublisher publisher = new OpenThermPublisher(client, "opentherm", refreshMillis, clock);
            FrameDecoder decoder = new FrameDecoder(publisher::value);
            for (String l : stream()) {
                GatewayLine.Frame f = (GatewayLine.Frame) GatewayLine.parse(l);
                decoder.frame(f.from(), f.frame());
                publisher.tick();
                clock.advance(500);
            }
            long expected = publisher.publishes();
            Await.until(Duration.ofSeconds(10), "every publish routed", () -> values(rec).size() == expected);
            topics[0] = values(rec).stream().map(Message::topic).distinct().count();
            client.close();
            return expected;
        }
    }

    private static List<Message> values(Recorder rec) {
        return rec.all().stream().filter(m -> !m.topic().equals("opentherm/json")
                && !m.topic().equals("opentherm/availability")).toList();
    }

    @Test
    void twentyChangesInTenThousandFramesAreTwentyPublishesPlusRefreshes() throws Exception {
        long[] topics = new long[1];
        long withoutRefresh = run(0, topics);
        // Each topic once, then only the 20 changes.
        assertThat(withoutRefresh).isEqualTo(topics[0] + CHANGES);

        long[] same = new long[1];
        long tenMinutes = 600_000;
        long withRefresh = run(tenMinutes, same);
        // 5,000 s of frames: each topic is refreshed after every 600 s without a change, at most 8 times.
        long seconds = FRAMES / 2;
        assertThat(withRefresh - withoutRefresh).isBetween(same[0] * (seconds / 600 - 1), same[0] * (seconds / 600));
        System.out.printf("ChangeOnlyTest: %d frames, %d topics, %d value changes: %d publishes without refresh,"
                + " %d with a 600 s refresh (of %d decoded values)%n", FRAMES, topics[0], CHANGES, withoutRefresh,
                withRefresh, 19L * (FRAMES / 10));
    }
}
