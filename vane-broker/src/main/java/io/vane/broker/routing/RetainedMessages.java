package io.vane.broker.routing;

import io.vane.broker.Message;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/** The retained message of each topic (3.1.1 section 3.3.1.3, 5.0 section 3.3.1.3). Thread-safe. */
public final class RetainedMessages {
    private final RetainedStore<Message> store = new RetainedStore<>();
    private final LongSupplier clock;

    public RetainedMessages(LongSupplier clock) {
        this.clock = clock;
    }

    /** Stores, replaces, or with an empty payload clears the topic's retained message [MQTT-3.3.1-6, -10]. */
    public void retain(Message message) {
        if (message.payload().length == 0) {
            store.remove(message.topic());
        } else {
            store.put(message.topic(), message);
        }
    }

    /** Calls the sink for every unexpired retained message matching the filter [MQTT-3.3.1-8]. */
    public void match(String filter, BiConsumer<String, Message> sink) {
        long now = clock.getAsLong();
        store.match(filter, (topic, m) -> {
            if (m.isExpired(now)) {
                store.remove(topic, m);
            } else {
                sink.accept(topic, m);
            }
        });
    }

    public int count() {
        return store.size();
    }
}
