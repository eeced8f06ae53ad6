package io.vane.devices.source;

import io.vane.broker.Broker;
import io.vane.broker.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything published on a broker under some filters, in order, for assertions. */
public final class Recorder {
    private final List<Message> messages = new ArrayList<>();

    public Recorder(Broker broker, String... filters) {
        for (String f : filters) {
            broker.subscribe(f, m -> {
                synchronized (messages) {
                    messages.add(m);
                }
            });
        }
    }

    public List<Message> all() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** The payloads published on {@code topic}, oldest first. */
    public List<String> payloads(String topic) {
        return all().stream().filter(m -> m.topic().equals(topic))
                .map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
    }

    public Optional<String> last(String topic) {
        List<String> p = payloads(topic);
        return p.isEmpty() ? Optional.empty() : Optional.of(p.get(p.size() - 1));
    }
}
