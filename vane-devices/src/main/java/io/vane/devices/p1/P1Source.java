package io.vane.devices.p1;

import io.vane.broker.Message;
import io.vane.broker.local.LocalClient;
import io.vane.devices.source.DeviceSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A smart meter read through its P1 port, one per {@code dsmr_source} line: reads the line on a thread
 * of its own, reconnects with a jittered back-off when it drops, tries the other P1 speed when a
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

    private final String name;
    private final P1Link link;
    private final String prefix;
    private final long refreshMillis;
    private final Clock clock;
    private final Backoff backoff = new Backoff(new Random());
    private final BadTelegrams bad;
    private volatile String state = "starting";
    private volatile boolean closed;
    private Thread reader;
    private Consumer<MeterReading> tap = r -> { };

    /**
     * @param prefix the topic prefix ({@code dsmr} unless dsmr_topic_prefix says otherwise)
     * @param refreshMillis 0 to publish every value of every telegram, else change-only with this refresh
     */
    public P1Source(String name, P1Link link, String prefix, long refreshMillis, Clock clock) {
        this.name = name;
        this.link = link;
        this.prefix = prefix;
        this.refreshMillis = refreshMillis;
        this.clock = clock;
        this.bad = new BadTelegrams(name, clock);
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
        reader = new Thread(() -> run(publisher), "vane-p1-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void run(P1Publisher publisher) {
        P1Decoder decoder = new P1Decoder(bad, r -> {
            backoff.reset();
            publisher.publish(r, bad.rejectedTelegrams());
            tap.accept(r);
        }, r -> publisher.rejected(r, bad.rejectedTelegrams()));
        byte[] buffer = new byte[4096];
        while (!closed) {
            long openedAt = clock.millis();
            long acceptedBefore = decoder.accepted();
            try (InputStream in = link.open()) {
                state = "connected to " + link.describe() + ", waiting for a telegram";
                LOG.info("P1 meter {}: reading {}.", name, link.describe());
                long lastGood = clock.millis();
                while (!closed) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (InterruptedIOException timeout) {
                        n = 0; // a quiet second: look at the clock below
                    }
                    if (n < 0) {
                        throw new IOException("the converter closed the connection");
                    }
                    long before = decoder.accepted();
                    decoder.feed(buffer, 0, n);
                    long now = clock.millis();
                    if (decoder.accepted() > before) {
                        lastGood = now;
                        state = "reading " + link.describe() + ": " + decoder.accepted() + " telegrams, "
                                + bad.rejectedTelegrams() + " rejected";
                    }
                    if (decoder.accepted() == acceptedBefore && now - openedAt > DETECT_MILLIS && link.tryOtherSpeed()) {
                        LOG.info("P1 meter {}: no telegram in {} s; trying {}.", name, DETECT_MILLIS / 1000,
                                link.describe());
                        break;
                    }
                    if (now - lastGood > SILENT_MILLIS) {
                        publisher.available(false);
                        state = "no telegram from " + link.describe() + " for " + (now - lastGood) / 1000 + " s";
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    break;
                }
                publisher.available(false);
                long delay = backoff.nextDelayMillis();
                state = "reconnecting to " + link.describe() + " in " + (delay + 999) / 1000 + " s: " + e.getMessage();
                LOG.warn("P1 meter {}: {}", name, state);
                link.close();
                pause(delay);
            } finally {
                link.close();
            }
        }
    }

    private void pause(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        synchronized (this) {
            while (!closed && System.nanoTime() < end) {
                try {
                    wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
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
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        link.close();
        if (reader != null) {
            try {
                reader.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state = "stopped";
    }
}
