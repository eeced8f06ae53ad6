package io.vane.broker.sys;

/**
 * Mosquitto's $SYS/broker/load/... figures: an exponentially decaying average of a counter's rate
 * per minute over 1, 5 and 15 minutes. Not thread-safe; owned by the $SYS task.
 */
final class LoadAverage {
    private final double[] windowsMinutes = {1, 5, 15};
    private final double[] values = new double[3];
    private long lastCount = -1;

    /** Feeds the counter's current total after {@code intervalSeconds}. */
    void update(long count, double intervalSeconds) {
        if (lastCount < 0) {
            lastCount = count;
            return;
        }
        double perMinute = (count - lastCount) * 60.0 / intervalSeconds;
        lastCount = count;
        for (int i = 0; i < values.length; i++) {
            double factor = Math.exp(-intervalSeconds / (60.0 * windowsMinutes[i]));
            values[i] = values[i] * factor + perMinute * (1 - factor);
        }
    }

    double oneMinute() {
        return values[0];
    }

    double fiveMinutes() {
        return values[1];
    }

    double fifteenMinutes() {
        return values[2];
    }
}
