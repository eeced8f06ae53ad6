package io.vane.app.ops;

import io.vane.broker.persistence.Persistence;
import io.vane.transport.MqttServer;
import io.vane.transport.ops.EventLoopProbe;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether Vane is alive and whether it is ready, each as the list of what is wrong (empty: all is
 * well). Reads flags and timestamps only, so it may run on an event loop and never waits. Thread-safe.
 */
public final class Health {
    /**
     * How long an event loop may leave a question unanswered before Vane counts as not alive. Long
     * enough that a garbage collection or a slow disk on a small board does not restart the service.
     */
    public static final long LOOP_SILENCE_NANOS = 10_000_000_000L;

    private final EventLoopProbe probe;
    private final MqttServer server;
    private final Persistence store;
    private volatile boolean started;
    private volatile boolean stopping;

    Health(EventLoopProbe probe, MqttServer server, Persistence store) {
        this.probe = probe;
        this.server = server;
        this.store = store;
    }

    /** Every listener is bound and the store recovered: Vane may be told ready. */
    void markStarted() {
        started = true;
    }

    /** Shutdown began: not ready any more (a load balancer stops sending clients). */
    void markStopping() {
        stopping = true;
    }

    /** What keeps Vane from being alive: event loops that do not answer. */
    public List<String> liveProblems() {
        return liveProblems(LOOP_SILENCE_NANOS);
    }

    /** Like {@link #liveProblems()}, with loops allowed {@code silenceNanos} without an answer. */
    public List<String> liveProblems(long silenceNanos) {
        List<String> problems = new ArrayList<>();
        for (String loop : probe.silentLongerThan(silenceNanos)) {
            problems.add("event loop " + loop.replace(" (", " has not answered for ").replace(")", ""));
        }
        return problems;
    }

    /** What keeps Vane from being ready: not alive, not started, stopping, a listener closed, the store failing. */
    public List<String> readyProblems() {
        List<String> problems = liveProblems();
        if (stopping) {
            problems.add("shutting down");
        } else if (!started) {
            problems.add("starting: listeners and store not ready yet");
        }
        for (int port : server.closedListeners()) {
            problems.add("listener on port " + port + " is not listening");
        }
        String failure = store.failure();
        if (failure != null) {
            problems.add("store cannot write: " + failure);
        }
        return problems;
    }
}
