package io.vane.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for something to become true, with a deadline, instead of sleeping a fixed time. */
public final class Poll {
    private Poll() {
    }

    public static boolean until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
