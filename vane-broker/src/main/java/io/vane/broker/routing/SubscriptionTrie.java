package io.vane.broker.routing;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Topic filter -> values, for routing PUBLISH to subscribers (3.1.1 and 5.0 section 4.7). A pure data
 * structure: no I/O, access control, logging or metrics.
 *
 * <p>Thread-safe: {@link #match} is lock-free (concurrent maps for children, copy-on-write arrays for
 * values published through volatile fields) and may run on many threads while {@link #put} and
 * {@link #remove} run, serialized, on others. A match that races a write sees the trie before or after
 * that write, never a torn node.
 */
public final class SubscriptionTrie<V> {
    private final Node<V> root = new Node<>(null, null);
    private int size;

    /** Adds or replaces the value stored under (filter, key); returns the previous value or null. */
    public synchronized V put(String filter, String key, V value) {
        Node<V> node = root;
        int start = 0;
        while (true) {
            int end = levelEnd(filter, start);
            node = node.child(filter.substring(start, end), true);
            if (end == filter.length()) {
                break;
            }
            start = end + 1;
        }
        V previous = node.put(key, value);
        if (previous == null) {
            size++;
        }
        return previous;
    }

    /** Removes the value stored under (filter, key); returns it or null. Prunes empty nodes. */
    public synchronized V remove(String filter, String key) {
        Node<V> node = root;
        int start = 0;
        while (true) {
            int end = levelEnd(filter, start);
            node = node.child(filter.substring(start, end), false);
            if (node == null) {
                return null;
            }
            if (end == filter.length()) {
                break;
            }
            start = end + 1;
        }
        V removed = node.remove(key);
        if (removed != null) {
            size--;
            node.pruneIfEmpty();
        }
        return removed;
    }

    /** One step of a match: the topic from {@code start} against the filters below {@code node}. */
    private record Step<V>(Node<V> node, int start, boolean noWildcard) {
    }

    /**
     * Calls {@code sink} for every value whose filter matches {@code topic}. Walks with an explicit
     * stack, not a call per level: a deep topic or filter costs heap, never stack.
     */
    public void match(String topic, Consumer<? super V> sink) {
        // [MQTT-4.7.2-1]: a leading wildcard does not match a topic starting with '$'.
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        ArrayDeque<Step<V>> stack = new ArrayDeque<>();
        stack.push(new Step<>(root, 0, dollar));
        while (!stack.isEmpty()) {
            Step<V> step = stack.pop();
            Node<V> node = step.node;
            int start = step.start;
            boolean noWildcard = step.noWildcard;
            Node<V> hash = node.hash;
            if (hash != null && !noWildcard) {
                hash.emit(sink); // '#' matches this level's parent and everything below it
            }
            if (start > topic.length()) {
                node.emit(sink);
                continue;
            }
            int end = levelEnd(topic, start);
            Node<V> plus = node.plus;
            if (plus != null && !noWildcard) {
                stack.push(new Step<>(plus, end + 1, false));
            }
            ConcurrentHashMap<String, Node<V>> children = node.children;
            if (children != null) {
                Node<V> exact = children.get(topic.substring(start, end));
                if (exact != null) {
                    stack.push(new Step<>(exact, end + 1, false));
                }
            }
        }
    }

    private static int levelEnd(String s, int start) {
        int slash = s.indexOf('/', start);
        return slash < 0 ? s.length() : slash;
    }

    /** Number of (filter, key) entries. */
    public synchronized int size() {
        return size;
    }

    private static final class Node<V> {
        private static final Object[] EMPTY = new Object[0];

        final Node<V> parent;
        final String level;
        volatile ConcurrentHashMap<String, Node<V>> children;
        volatile Node<V> plus;
        volatile Node<V> hash;
        /** Alternating key, value pairs; replaced whole on every write. */
        volatile Object[] entries = EMPTY;

        Node(Node<V> parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        Node<V> child(String name, boolean create) {
            if (name.equals("+")) {
                if (plus == null && create) {
                    plus = new Node<>(this, name);
                }
                return plus;
            }
            if (name.equals("#")) {
                if (hash == null && create) {
                    hash = new Node<>(this, name);
                }
                return hash;
            }
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
                n = new Node<>(this, name);
                map.put(name, n);
            }
            return n;
        }

        @SuppressWarnings("unchecked")
        V put(String key, V value) {
            Object[] e = entries;
            for (int i = 0; i < e.length; i += 2) {
                if (e[i].equals(key)) {
                    Object[] copy = e.clone();
                    V previous = (V) copy[i + 1];
                    copy[i + 1] = value;
                    entries = copy;
                    return previous;
                }
            }
            Object[] copy = Arrays.copyOf(e, e.length + 2);
            copy[e.length] = key;
            copy[e.length + 1] = value;
            entries = copy;
            return null;
        }

        @SuppressWarnings("unchecked")
        V remove(String key) {
            Object[] e = entries;
            for (int i = 0; i < e.length; i += 2) {
                if (e[i].equals(key)) {
                    V removed = (V) e[i + 1];
                    Object[] copy = new Object[e.length - 2];
                    System.arraycopy(e, 0, copy, 0, i);
                    System.arraycopy(e, i + 2, copy, i, e.length - i - 2);
                    entries = copy.length == 0 ? EMPTY : copy;
                    return removed;
                }
            }
            return null;
        }

        @SuppressWarnings("unchecked")
        void emit(Consumer<? super V> sink) {
            Object[] e = entries;
            for (int i = 1; i < e.length; i += 2) {
                sink.accept((V) e[i]);
            }
        }

        boolean isEmpty() {
            ConcurrentHashMap<String, Node<V>> map = children;
            return entries.length == 0 && plus == null && hash == null && (map == null || map.isEmpty());
        }

        /** Detaches empty nodes from the leaf upwards. Called with the trie's write lock held. */
        void pruneIfEmpty() {
            Node<V> n = this;
            while (n.parent != null && n.isEmpty()) {
                Node<V> p = n.parent;
                if (p.plus == n) {
                    p.plus = null;
                } else if (p.hash == n) {
                    p.hash = null;
                } else if (p.children != null) {
                    p.children.remove(n.level, n);
                }
                n = p;
            }
        }
    }
}
