package io.vane.broker.routing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Topic name -> value, searchable by topic filter: the retained messages (section 3.3.1.3). A pure data
 * structure. Thread-safe: reads are lock-free; writes are serialized.
 */
public final class RetainedStore<V> {
    private final Node<V> root = new Node<>(null, null, "");
    private int size;

    /** Stores the value for the topic; returns the previous one or null. */
    public synchronized V put(String topic, V value) {
        Node<V> node = root;
        int start = 0;
        while (true) {
            int end = levelEnd(topic, start);
            node = node.child(topic.substring(start, end), topic.substring(0, end), true);
            if (end == topic.length()) {
                break;
            }
            start = end + 1;
        }
        V previous = node.value;
        node.value = value;
        if (previous == null) {
            size++;
        }
        return previous;
    }

    public synchronized V remove(String topic) {
        Node<V> node = find(topic);
        if (node == null || node.value == null) {
            return null;
        }
        V removed = node.value;
        node.value = null;
        size--;
        node.pruneIfEmpty();
        return removed;
    }

    /** Removes the topic's value only if it is still {@code expected} (for expiry racing a new message). */
    public synchronized boolean remove(String topic, V expected) {
        Node<V> node = find(topic);
        if (node == null || node.value != expected) {
            return false;
        }
        node.value = null;
        size--;
        node.pruneIfEmpty();
        return true;
    }

    public V get(String topic) {
        Node<V> node = find(topic);
        return node == null ? null : node.value;
    }

    private Node<V> find(String topic) {
        Node<V> node = root;
        int start = 0;
        while (true) {
            int end = levelEnd(topic, start);
            ConcurrentHashMap<String, Node<V>> map = node.children;
            node = map == null ? null : map.get(topic.substring(start, end));
            if (node == null || end == topic.length()) {
                return node;
            }
            start = end + 1;
        }
    }

    /** Calls {@code sink} for every stored topic that the filter matches. */
    public void match(String filter, BiConsumer<String, ? super V> sink) {
        match(root, filter, 0, true, sink);
    }

    private static <V> void match(Node<V> node, String filter, int start, boolean atRoot,
            BiConsumer<String, ? super V> sink) {
        if (start > filter.length()) {
            node.emit(sink);
            return;
        }
        int end = levelEnd(filter, start);
        ConcurrentHashMap<String, Node<V>> children = node.children;
        int len = end - start;
        if (len == 1 && filter.charAt(start) == '#') {
            node.emit(sink); // '#' also matches the parent level
            if (children != null) {
                for (Node<V> child : children.values()) {
                    if (!(atRoot && child.level.startsWith("$"))) { // [MQTT-4.7.2-1]
                        child.emitAll(sink);
                    }
                }
            }
            return;
        }
        if (children == null) {
            return;
        }
        if (len == 1 && filter.charAt(start) == '+') {
            for (Node<V> child : children.values()) {
                if (!(atRoot && child.level.startsWith("$"))) {
                    match(child, filter, end + 1, false, sink);
                }
            }
            return;
        }
        Node<V> exact = children.get(filter.substring(start, end));
        if (exact != null) {
            match(exact, filter, end + 1, false, sink);
        }
    }

    private static int levelEnd(String s, int start) {
        int slash = s.indexOf('/', start);
        return slash < 0 ? s.length() : slash;
    }

    public synchronized int size() {
        return size;
    }

    public void forEach(BiConsumer<String, ? super V> sink) {
        ConcurrentHashMap<String, Node<V>> map = root.children;
        if (map != null) {
            map.values().forEach(n -> n.emitAll(sink));
        }
    }

    private static final class Node<V> {
        final Node<V> parent;
        final String level;
        final String topic;
        volatile ConcurrentHashMap<String, Node<V>> children;
        volatile V value;

        Node(Node<V> parent, String level, String topic) {
            this.parent = parent;
            this.level = level;
            this.topic = topic;
        }

        Node<V> child(String name, String path, boolean create) {
            ConcurrentHashMap<String, Node<V>> map = children;
            if (map == null) {
                if (!create) {
                    return null;
                }
                map = new ConcurrentHashMap<>(4);
                children = map;
            }
            Node<V> n = map.get(name);
            if (n == null && create) {
                n = new Node<>(this, name, path);
                map.put(name, n);
            }
            return n;
        }

        void emit(BiConsumer<String, ? super V> sink) {
            V v = value;
            if (v != null) {
                sink.accept(topic, v);
            }
        }

        void emitAll(BiConsumer<String, ? super V> sink) {
            emit(sink);
            ConcurrentHashMap<String, Node<V>> map = children;
            if (map != null) {
                for (Node<V> child : map.values()) {
                    child.emitAll(sink);
                }
            }
        }

        void pruneIfEmpty() {
            Node<V> n = this;
            while (n.parent != null && n.value == null && (n.children == null || n.children.isEmpty())) {
                n.parent.children.remove(n.level, n);
                n = n.parent;
            }
        }
    }
}
