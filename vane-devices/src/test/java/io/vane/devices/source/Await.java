package io.vane.devices.source;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A bounded wait on a condition (vane-testkit's Poll is out of reach: it depends on vane-app). */
public final class Await {
    private Await() {
    }

    /** Polls every 10 ms until {@code condition} holds or {@code timeout} passes; fails with {@code what}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
