package io.vane.broker.routing;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
/** TEMPORARY brute-force stub; replaced by the routing branch. */
public final class SubscriptionTrie<V> {
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, V>> m = new ConcurrentHashMap<>();
    public V put(String filter, String key, V value) { return m.computeIfAbsent(filter, f -> new ConcurrentHashMap<>()).put(key, value); }
    public V remove(String filter, String key) { var x = m.get(filter); return x == null ? null : x.remove(key); }
    public void match(String topic, Consumer<? super V> sink) { m.forEach((f, vs) -> { if (TopicMatcher.matches(f, topic)) vs.values().forEach(sink); }); }
    public int size() { return m.values().stream().mapToInt(ConcurrentHashMap::size).sum(); }
}
