package io.vane.devices.p1;

import io.vane.broker.Message;
import io.vane.broker.local.LocalClient;
import io.vane.devices.source.DeviceSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code simulate_p1 true}: a {@link SimulatedMeter} sending a DSMR 5 telegram every second into the
 * same decoder and publisher a real meter's telegrams go through, so the energy page, Home Assistant
 * and {@code mosquitto_sub -t 'dsmr/#'} show a live meter out of the box. Says it is simulated on the
 * retained {@link #MARKER_TOPIC}, as the weather simulator does.
 */
public final class P1Simulator implements DeviceSource {
    private static final Logger LOG = LoggerFactory.getLogger("vane.devices");
    /** Under $SYS/broker/ so that anonymous, read-only pages may see it. */
    public static final String MARKER_TOPIC = "$SYS/broker/vane/simulated_p1";

    private final SimulatedMeter meter;
    private final String prefix;
    private final Clock clock;
    private final long periodMillis;
    private ScheduledExecutorService timer;
    private Consumer<MeterReading> tap = r -> { };

    /** A meter sending every {@code periodMillis} (DSMR 5: 1000) under {@code prefix}. */
    public P1Simulator(Clock clock, long seed, String prefix, long periodMillis) {
        this.meter = new SimulatedMeter(clock, seed);
        this.prefix = prefix;
        this.clock = clock;
        this.periodMillis = periodMillis;
    }

    /** Also hands each reading to {@code consumer} (Home Assistant discovery); call before start. */
    public P1Simulator onReading(Consumer<MeterReading> consumer) {
        this.tap = consumer;
        return this;
    }

    @Override
    public String name() {
        return "p1-simulator";
    }

    @Override
    public Message will() {
        return Message.of(P1Publisher.availabilityTopic(prefix), "offline".getBytes(StandardCharsets.UTF_8), 1, true);
    }

    @Override
    public void start(LocalClient client) {
        client.publish(MARKER_TOPIC, ("{\"simulated\":true,\"topics\":[\"" + prefix + "/#\"]}")
                .getBytes(StandardCharsets.UTF_8), 1, true);
        P1Publisher publisher = new P1Publisher(client, prefix, 0, clock);
        publisher.restoreDay();
        tap = tap.andThen(P1Discovery.announcer(client, "simulated", prefix));
        BadTelegrams bad = new BadTelegrams(name(), clock);
        P1Decoder decoder = new P1Decoder(bad, r -> {
            publisher.publish(r, bad.rejectedTelegrams());
            tap.accept(r);
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vane-p1-simulator");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                byte[] telegram = meter.nextTelegram();
                decoder.feed(telegram, 0, telegram.length);
            } catch (RuntimeException e) {
                LOG.warn("P1 simulator: {}", e.toString());
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
        LOG.info("Simulated DSMR 5 smart meter publishing to {}/# every {} s (turn it off with 'simulate_p1 false').",
                prefix, periodMillis / 1000.0);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
