package io.vane.bench.load;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pumps every publisher on one event loop: again at once while any of them has more to send, else
 * after a short pause. One timer per loop instead of one per publisher keeps 50 blocked publishers
 * from costing the generator 250,000 wake-ups a second.
 */
final class PublisherDriver implements Runnable {
    private static final long PAUSE_MICROS = 200;

    private final EventLoop loop;
    private final List<Publisher> publishers;

    PublisherDriver(EventLoop loop, List<Publisher> publishers) {
        this.loop = loop;
        this.publishers = List.copyOf(publishers);
    }

    void start() {
        loop.execute(() -> {
            long now = System.nanoTime();
            publishers.forEach(p -> p.start(now));
            run();
        });
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        boolean more = false;
        boolean live = false;
        for (Publisher p : publishers) {
            more |= p.pump(now);
            live |= !p.stopped();
        }
        if (!live) {
            return;
        }
        if (more) {
            loop.execute(this);
        } else {
            loop.schedule(this, PAUSE_MICROS, TimeUnit.MICROSECONDS);
        }
    }
}
