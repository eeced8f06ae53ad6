package io.vane.devices.p1;

import io.vane.broker.Message;
import io.vane.broker.local.LocalClient;
import io.vane.devices.source.DeviceSource;
import io.vane.devices.line.DeviceLink;
import io.vane.devices.line.LineEndpoint;
import io.vane.devices.line.LineReader;
import io.vane.devices.line.SerialLink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A smart meter read through its P1 port, one per {@code dsmr_source} line: reads the line on a thread
 * of its own ({@link LineReader}), reconnects with a jittered back-off when it drops, tries the other P1 speed when a
 * serial port of unknown speed yields no telegram, and publishes each good telegram through
 * {@link P1Publisher}. The meter is {@code online} from its first good telegram, {@code offline} when
 * the line is lost or silent for {@link #SILENT_MILLIS} (and, by the client's will, if Vane dies).
 */
public final class P1Source implements DeviceSource {
    private static final Logger LOG = LoggerFactory.getLogger("vane.devices");
    /** DSMR 2.2 to 4 send every 10 s, DSMR 5 every second: three missed DSMR 4 telegrams is silence. */
    static final long SILENT_MILLIS = 30_000;
    /** How long a serial port of unknown speed is given to show a telegram before the other speed is tried. */
    static final long DETECT_MILLIS = 25_000;

    /** Without a given speed: DSMR 4/5 and e-MUCS first, then DSMR 2.2 and 3.0. */
    static final List<SerialLink.Speed> SPEEDS = List.of(new SerialLink.Speed(115200, "8N1"),
            new SerialLink.Speed(9600, "7E1"));
    /** A speed without framing: 9600 is a DSMR 2.2/3 meter's 7E1, anything else 8N1. */
    public static final IntFunction<String> FRAMING = baud -> baud == 9600 ? "7E1" : "8N1";

    private final String name;
    private final DeviceLink link;
    private final String prefix;
    private final long refreshMillis;
    private final Clock clock;
    private final BadTelegrams bad;
    private volatile String state = "starting";
    private LineReader reader;
    private Consumer<MeterReading> tap = r -> { };

    /**
     * @param prefix the topic prefix ({@code dsmr} unless dsmr_topic_prefix says otherwise)
     * @param refreshMillis 0 to publish every value of every telegram, else change-only with this refresh
     */
    public P1Source(String name, DeviceLink link, String prefix, long refreshMillis, Clock clock) {
        this.name = name;
        this.link = link;
        this.prefix = prefix;
        this.refreshMillis = refreshMillis;
        this.clock = clock;
        this.bad = new BadTelegrams(name, clock);
    }

    /** The line a meter is read on: a serial port (both P1 speeds tried unless given) or a TCP converter. */
    public static DeviceLink link(LineEndpoint endpoint) {
        return endpoint.link(SPEEDS);
    }

    /** Also hands each good reading to {@code consumer} (Home Assistant discovery, tests); call before start. */
    public P1Source onReading(Consumer<MeterReading> consumer) {
        this.tap = consumer;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Message will() {
        return Message.of(P1Publisher.availabilityTopic(prefix), "offline".getBytes(StandardCharsets.UTF_8), 1, true);
    }

    @Override
    public void start(LocalClient client) {
        P1Publisher publisher = new P1Publisher(client, prefix, refreshMillis, clock);
        publisher.restoreDay();
        tap = tap.andThen(P1Discovery.announcer(client, name, prefix));
        publisher.available(false);
        reader = new LineReader("vane-p1-" + name, link, clock, new Meter(publisher));
        reader.start();
    }

    /** What the meter's line means: telegrams, silence, and the other speed when none come. */
    private final class Meter implements LineReader.Handler {
        private final P1Decoder decoder;
        private final P1Publisher publisher;
        private long acceptedBefore;
        private long lastGood;
        private long telegrams;

        Meter(P1Publisher publisher) {
            this.publisher = publisher;
            this.decoder = new P1Decoder(bad, r -> {
                reader.healthy();
                // The state first: whoever sees the telegram published may read the state at once.
                lastGood = clock.millis();
                state = "reading " + link.describe() + ": " + ++telegrams + " telegrams, " + bad.rejectedTelegrams()
                        + " rejected";
                publisher.publish(r, bad.rejectedTelegrams());
                tap.accept(r);
            }, r -> publisher.rejected(r, bad.rejectedTelegrams()));
        }

        @Override
        public void opened() {
            acceptedBefore = decoder.accepted();
            lastGood = clock.millis();
            state = "connected to " + link.describe() + ", waiting for a telegram";
            LOG.info("P1 meter {}: reading {}.", name, link.describe());
        }

        @Override
        public boolean received(byte[] bytes, int n, long openedAt, long now) {
            decoder.feed(bytes, 0, n);
            if (decoder.accepted() == acceptedBefore && now - openedAt > DETECT_MILLIS && link.tryOtherSpeed()) {
                LOG.info("P1 meter {}: no telegram in {} s; trying {}.", name, DETECT_MILLIS / 1000, link.describe());
                return true;
            }
            if (now - lastGood > SILENT_MILLIS) {
                publisher.available(false);
                state = "no telegram from " + link.describe() + " for " + (now - lastGood) / 1000 + " s";
            }
            return false;
        }

        @Override
        public void lost(String reason, long delay) {
            publisher.available(false);
            state = "reconnecting to " + link.describe() + " in " + (delay + 999) / 1000 + " s: " + reason;
            LOG.warn("P1 meter {}: {}", name, state);
        }
    }

    @Override
    public String state() {
        return state;
    }

    /** The rejected-telegram counters, for status pages and tests. */
    public BadTelegrams badTelegrams() {
        return bad;
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
        link.close();
        state = "stopped";
    }
}
