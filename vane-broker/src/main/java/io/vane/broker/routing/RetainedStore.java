package io.vane.broker.routing;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Topic name -> value, searchable by topic filter: the retained messages (section 3.3.1.3). A pure data
 * structure. Thread-safe: reads are lock-free; writes are serialized.
 *
 * <p>Memory is linear in the topic's length: a node holds its own level only, and the full topic name
 * (the caller's string, not a copy) only where a value is stored. Nothing here recurses per level, so
 * a topic of any depth costs heap, never stack (docs/decisions/0006-size-limits.md).
 */
public final class RetainedStore<V> {
    private final Node<V> root = new Node<>(null, null);
    private int size;

    /** A stored value and the topic it was stored under, published together. */
    private record Entry<V>(String topic, V value) {
    }

    /** Stores the value for the topic; returns the previous one or null. */
    public synchronized V put(String topic, V value) {
        Node<V> node = root;
        int start = 0;
        while (true) {
            int end = levelEnd(topic, start);
            node = node.child(topic.substring(start, end));
            if (end == topic.length()) {
                break;
            }
            start = end + 1;
        }
        Entry<V> previous = node.entry;
        node.entry = new Entry<>(topic, value);
        if (previous == null) {
            size++;
            return null;
        }
        return previous.value;
    }

    public synchronized V remove(String topic) {
        Node<V> node = find(topic);
        if (node == null || node.entry == null) {
            return null;
        }
        V removed = node.entry.value;
        node.entry = null;
        size--;
        node.pruneIfEmpty();
        return removed;
    }

    /** Removes the topic's value only if it is still {@code expected} (for expiry racing a new message). */
    public synchronized boolean remove(String topic, V expected) {
        Node<V> node = find(topic);
        if (node == null || node.entry == null || node.entry.value != expected) {
            return false;
        }
        node.entry = null;
        size--;
        node.pruneIfEmpty();
        return true;
    }

    public V get(String topic) {
        Node<V> node = find(topic);
        Entry<V> e = node == null ? null : node.entry;
        return e == null ? null : e.value;
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

    /** One step of a filter walk: match the filter from {@code start} at {@code node}. */
    private record Step<V>(Node<V> node, int start) {
    }

    /** Calls {@code sink} for every stored topic that the filter matches. */
    public void match(String filter, BiConsumer<String, ? super V> sink) {
        // An explicit stack instead of a call per level: a deep filter costs heap, not stack.
        ArrayDeque<Step<V>> stack = new ArrayDeque<>();
        stack.push(new Step<>(root, 0));
        while (!stack.isEmpty()) {
            Step<V> step = stack.pop();
            Node<V> node = step.node;
            int start = step.start;
            boolean atRoot = node == root;
            if (start > filter.length()) {
                node.emit(sink);
                continue;
            }
            int end = levelEnd(filter, start);
            ConcurrentHashMap<String, Node<V>> children = node.children;
            int len = end - start;
            if (len == 1 && filter.charAt(start) == '#') {
                node.emit(sink); // '#' also matches the parent level
                if (children != null) {
                    for (Node<V> child : children.values()) {
                        if (!(atRoot && child.level.startsWith("$"))) { // [MQTT-4.7.2-1]
                            emitAll(child, sink);
                        }
                    }
                }
                continue;
            }
            if (children == null) {
                continue;
            }
            if (len == 1 && filter.charAt(start) == '+') {
                for (Node<V> child : children.values()) {
                    if (!(atRoot && child.level.startsWith("$"))) {
                        stack.push(new Step<>(child, end + 1));
                    }
                }
                continue;
            }
            Node<V> exact = children.get(filter.substring(start, end));
            if (exact != null) {
                stack.push(new Step<>(exact, end + 1));
            }
        }
    }

    /** Every value at or below {@code top}, walked with an explicit stack. */
    private static <V> void emitAll(Node<V> top, BiConsumer<String, ? super V> sink) {
        ArrayDeque<Node<V>> stack = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            Node<V> n = stack.pop();
            n.emit(sink);
            ConcurrentHashMap<String, Node<V>> map = n.children;
            if (map != null) {
                for (Node<V> child : map.values()) {
                    stack.push(child);
                }
            }
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
            map.values().forEach(n -> emitAll(n, sink));
        }
    }

    private static final class Node<V> {
        final Node<V> parent;
        final String level;
        volatile ConcurrentHashMap<String, Node<V>> children;
        volatile Entry<V> entry;

        Node(Node<V> parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        /** The child for the level, created if missing. Called with the store's write lock held. */
        Node<V> child(String name) {
            ConcurrentHashMap<String, Node<V>> map = children;
            if (map == null) {
                map = new ConcurrentHashMap<>(4);
                children = map;
            }
            Node<V> n = map.get(name);
            if (n == null) {
                n = new Node<>(this, name);
                map.put(name, n);
            }
            return n;
        }

        void emit(BiConsumer<String, ? super V> sink) {
            Entry<V> e = entry;
            if (e != null) {
                sink.accept(e.topic, e.value);
            }
        }

        void pruneIfEmpty() {
            Node<V> n = this;
            while (n.parent != null && n.entry == null && (n.children == null || n.children.isEmpty())) {
                n.parent.children.remove(n.level, n);
                n = n.parent;
            }
        }
    }
}
