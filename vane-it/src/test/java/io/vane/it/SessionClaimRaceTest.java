package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.Disconnect;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.PingReq;
import io.vane.protocol.packet.PingResp;
import io.vane.protocol.packet.Publish;
import io.vane.protocol.packet.SubAck;
import io.vane.protocol.packet.Subscribe;
import io.vane.protocol.packet.Subscription;
import io.vane.testkit.BrokerFixture;
import io.vane.testkit.RawClient;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two CONNECTs with one client id at the same moment, accepted on different event loops: exactly one
 * connection may survive [MQTT-3.1.4-3], and the persistent session keeps its subscription.
 */
class SessionClaimRaceTest {
    private static final int ROUNDS = Integer.getInteger("vane.race.rounds", 300);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void racingConnectsLeaveExactlyOneConnectionAndTheSubscriptionIntact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (BrokerFixture broker = BrokerFixture.start(); RawClient publisher = RawClient.open(broker)) {
            publisher.connect(MqttVersion.V3_1_1, "race-publisher");
            List<String> failures = new ArrayList<>();
            for (int round = 0; round < ROUNDS && failures.size() < 5; round++) {
                String id = "race-" + round;
                String topic = "race/" + round;
                try (RawClient setup = RawClient.open(broker)) {
                    setup.connect(MqttVersion.V3_1_1, id, false, 60, Properties.NONE);
                    setup.send(new Subscribe(1, List.of(Subscription.of(topic, 0)), Properties.NONE));
                    assertThat(setup.read(WAIT)).isInstanceOf(SubAck.class);
                    setup.send(new Disconnect(0, Properties.NONE));
                    assertThat(setup.awaitClosed(WAIT)).isTrue();
                }
                RawClient a = RawClient.open(broker);
                RawClient b = RawClient.open(broker);
                try {
                    CountDownLatch go = new CountDownLatch(1);
                    Future<MqttPacket> fa = pool.submit(() -> connectAfter(go, a, id));
                    Future<MqttPacket> fb = pool.submit(() -> connectAfter(go, b, id));
                    go.countDown();
                    MqttPacket ra = fa.get(10, TimeUnit.SECONDS);
                    MqttPacket rb = fb.get(10, TimeUnit.SECONDS);
                    RawClient survivor = null;
                    int alive = 0;
                    for (RawClient c : new RawClient[] {a, b}) {
                        MqttPacket first = c == a ? ra : rb;
                        if (first instanceof ConnAck ack && ack.reasonCode() == 0 && answersPing(c)) {
                            alive++;
                            survivor = c;
                        }
                    }
                    if (alive != 1) {
                        failures.add(id + ": " + alive + " connections alive (" + ra + ", " + rb + ")");
                        continue;
                    }
                    publisher.send(new Publish(topic, 0, false, false, 0, Properties.NONE,
                            Unpooled.wrappedBuffer(new byte[] {1})));
                    MqttPacket delivered = survivor.read(WAIT);
                    if (!(delivered instanceof Publish p) || !p.topic().equals(topic)) {
                        failures.add(id + ": the session lost its subscription (got " + delivered + ")");
                    } else {
                        p.payload().release();
                    }
                } finally {
                    a.close();
                    b.close();
                }
            }
            assertThat(failures).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    private static MqttPacket connectAfter(CountDownLatch go, RawClient c, String id) throws InterruptedException {
        go.await();
        c.send(new Connect(MqttVersion.V3_1_1, id, false, 60, null, null, null, Properties.NONE));
        return c.read(WAIT);
    }

    /** The connection is open and served: a PINGREQ gets its PINGRESP (a closed one reads nothing). */
    private static boolean answersPing(RawClient c) {
        try {
            c.send(new PingReq());
        } catch (IllegalStateException closed) {
            return false;
        }
        return c.read(Duration.ofSeconds(2)) instanceof PingResp;
    }
}
