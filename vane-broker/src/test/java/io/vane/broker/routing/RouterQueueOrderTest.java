package io.vane.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.vane.broker.BrokerStats;
import io.vane.broker.Message;
import io.vane.broker.auth.Authorizer;
import io.vane.broker.delivery.EncodingKey;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.persistence.SessionJournal;
import io.vane.broker.session.QueueLimits;
import io.vane.broker.session.Session;
import io.vane.broker.session.SessionLink;
import io.vane.broker.session.SubscriptionRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two connections route to one session: one from another thread (its delivery queued on the session's
 * loop), then one on the session's own loop. A delivery made at once on the loop overtakes the queued
 * one; {@link Router#inQueueOrder} keeps the routing order, which a message arriving by two bridge
 * routes needs.
 */
class RouterQueueOrderTest {
    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    private final Router router = new Router(Authorizer.ALLOW_ALL);
    private final List<String> sent = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aDeliveryOnTheSessionsLoopAtOnceOvertakesOneQueuedBefore() throws Exception {
        assertThat(routeFirstElsewhereThenOnTheLoop(false)).containsExactly("2", "1");
    }

    @Test
    void inQueueOrderTheyArriveAsRouted() throws Exception {
        assertThat(routeFirstElsewhereThenOnTheLoop(true)).containsExactly("1", "2");
    }

    private List<String> routeFirstElsewhereThenOnTheLoop(boolean queued) throws Exception {
        Session session = new Session("far", loop, new QueueLimits(100, 0, false), new BrokerStats(), () -> 0L,
                SessionJournal.IN_MEMORY);
        loop.submit(() -> session.attach(new Recording())).get(10, TimeUnit.SECONDS);
        router.subscribe(session, new SubscriptionRecord("t", "t", null, 0, false, false, 0, 0));
        CountDownLatch firstRouted = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            // The loop is busy here while another thread routes message 1 (queued behind this task).
            await(firstRouted);
            if (queued) {
                Router.inQueueOrder(() -> router.route(message("2")));
            } else {
                router.route(message("2"));
            }
            loop.execute(done::countDown); // behind whatever routing queued
        });
        router.route(message("1"));
        firstRouted.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        return sent;
    }

    private static Message message(String payload) {
        return Message.of("t", payload.getBytes(StandardCharsets.UTF_8), 0, false);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Recording implements SessionLink {
        @Override
        public boolean sendPublish(Outgoing out, int packetId, boolean dup) {
            sent.add(new String(out.message().payload(), StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public void sendPubRel(int packetId) {
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public int sendWindow() {
            return 10;
        }

        @Override
        public EncodingKey encodingKey() {
            return null;
        }

        @Override
        public void takenOver() {
        }

        @Override
        public void disconnect(int reasonCode, String reason) {
        }
    }
}
