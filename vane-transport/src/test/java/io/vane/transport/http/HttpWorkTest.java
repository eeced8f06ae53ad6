package io.vane.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HTTP workers' two limits and what cancelling does. */
class HttpWorkTest {
    @Test
    void anAddressOverItsShareIsRefusedAndOthersStillGetIn() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        try (HttpWork work = new HttpWork(1, 8, 2)) {
            CompletableFuture<String> a = work.submit("a", () -> await(hold, "a1"));
            CompletableFuture<String> b = work.submit("a", () -> "a2");
            CompletableFuture<String> refused = work.submit("a", () -> "a3");
            assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(HttpWork.RefusedException.class);
            assertThat(((HttpWork.RefusedException) refused.handle((v, e) -> e).get()).refusal())
                    .isEqualTo(HttpWork.Refusal.TOO_MANY_FROM_ADDRESS);
            CompletableFuture<String> other = work.submit("b", () -> "b1");
            hold.countDown();
            assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo("a1");
            assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo("a2");
            assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo("b1");
            awaitZero(work, "a");
            assertThat(work.submit("a", () -> "again").get(5, TimeUnit.SECONDS)).isEqualTo("again");
        }
    }

    @Test
    void aFullQueueIsRefusedWith503() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        try (HttpWork work = new HttpWork(1, 2, 10)) {
            CompletableFuture<String> running = work.submit("a", () -> await(hold, "r"));
            // Bounded poll: the worker has taken "a" from the queue once the queue is empty and "a" counts.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((work.queued() > 0 || work.inPool("a") == 0) && System.nanoTime() < until) {
                Thread.sleep(1); // bounded poll (deadline in the loop condition)
            }
            assertThat(work.queued()).isZero();
            work.submit("b", () -> "q1");
            work.submit("c", () -> "q2");
            CompletableFuture<String> refused = work.submit("d", () -> "q3");
            assertThat(refused.handle((v, e) -> ((HttpWork.RefusedException) e).refusal()).get())
                    .isEqualTo(HttpWork.Refusal.QUEUE_FULL);
            assertThat(work.inPool("d")).isZero();
            hold.countDown();
            assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("r");
        }
    }

    @Test
    void cancelledWorkLeavesTheQueueAndNeverRuns() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try (HttpWork work = new HttpWork(1, 8, 8)) {
            CompletableFuture<String> running = work.submit("a", () -> await(hold, "r"));
            CompletableFuture<String> queued = work.submit("a", () -> {
                ran.incrementAndGet();
                return "q";
            });
            assertThat(work.inPool("a")).isEqualTo(2);
            queued.cancel(false);
            assertThat(work.inPool("a")).as("the queued one gave back its place at once").isEqualTo(1);
            hold.countDown();
            running.get(5, TimeUnit.SECONDS);
            awaitZero(work, "a");
            assertThat(ran).hasValue(0);
        }
    }

    private static void awaitZero(HttpWork work, String address) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (work.inPool(address) > 0 && System.nanoTime() < until) {
            Thread.sleep(1); // bounded poll (deadline in the loop condition)
        }
        assertThat(work.inPool(address)).isZero();
    }

    private static String await(CountDownLatch latch, String value) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return value;
    }
}
