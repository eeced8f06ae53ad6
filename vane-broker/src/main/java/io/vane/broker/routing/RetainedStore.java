package io.vane.broker.routing;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
/** TEMPORARY stub; replaced by the routing branch. */
public final class RetainedStore<V> {
    private final ConcurrentHashMap<String, V> m = new ConcurrentHashMap<>();
    public V put(String t, V v) { return m.put(t, v); }
    public V remove(String t) { return m.remove(t); }
    public V get(String t) { return m.get(t); }
    public void match(String filter, BiConsumer<String, ? super V> sink) { m.forEach((t, v) -> { if (TopicMatcher.matches(filter, t)) sink.accept(t, v); }); }
    public int size() { return m.size(); }
    public void forEach(BiConsumer<String, ? super V> sink) { m.forEach(sink); }
}
