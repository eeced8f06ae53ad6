package io.vane.broker.connection;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Acknowledgements that wait for their message to be safe, written in the order the packets came
 * [MQTT-4.6.0-2, -3, -4], on the connection's event loop. A stage that is already complete with
 * nothing waiting before it is answered at once, with no task and no allocation of its own.
 *
 * <p>Threading: owned by the connection's event loop; stages may complete on any thread.
 */
public final class OrderedAcks {
    private final EventExecutor loop;
    private final ArrayDeque<Pending<?>> waiting = new ArrayDeque<>();

    public OrderedAcks(EventExecutor loop) {
        this.loop = loop;
    }

    /** Runs {@code write} with the stage's value once it and every earlier acknowledgement are done. */
    public <T> void then(CompletionStage<T> stage, Consumer<T> write) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        if (waiting.isEmpty() && f.isDone() && !f.isCompletedExceptionally()) {
            write.accept(f.join());
            return;
        }
        waiting.add(new Pending<>(f, write));
        f.whenComplete((v, e) -> loop.execute(this::drain));
    }

    /**
     * Runs {@code write} once every earlier acknowledgement is done: for a PUBLISH answered without being
     * routed (refused, too large, a duplicate by a second route), which must not overtake earlier ones.
     */
    public void inTurn(Runnable write) {
        if (waiting.isEmpty()) {
            write.run();
            return;
        }
        then(DONE, v -> write.run());
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private void drain() {
        while (!waiting.isEmpty() && waiting.peek().future.isDone()) {
            waiting.poll().run();
        }
    }

    private record Pending<T>(CompletableFuture<T> future, Consumer<T> write) {
        void run() {
            if (!future.isCompletedExceptionally()) {
                write.accept(future.join());
            }
            // A failed stage writes nothing: the message was not made safe, so it is not acknowledged
            // and the client sends it again (3.1.1 has no negative PUBACK; the durable store says more).
        }
    }
}
