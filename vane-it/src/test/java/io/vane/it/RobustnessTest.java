package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.it.Clients.Received;
import io.vane.testkit.BrokerFixture;
import io.vane.testkit.RawClient;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * Bad input from many connections at once: thousands of generated malformed and truncated packets.
 * Each bad connection is closed on its own; a well-behaved client keeps being served, and the heap
 * does not grow without bound.
 */
class RobustnessTest {
    private static final String CONNECT_311 = "100e00044d5154540402003c0002";

    private static byte[] randomPacket(Random r, int i) {
        switch (i % 6) {
            case 0 -> { // valid CONNECT followed by random garbage
                byte[] g = new byte[1 + r.nextInt(40)];
                r.nextBytes(g);
                return g;
            }
            case 1 -> { // PUBLISH with reserved QoS 3 or a wildcard topic
                return new byte[] {0x36, 0x05, 0x00, 0x01, 0x23, 0x00, 0x01};
            }
            case 2 -> { // truncated PUBLISH that claims more than it has, then the socket closes
                return new byte[] {0x30, 0x7f, 0x00, 0x05, 'a', 'b'};
            }
            case 3 -> { // a SUBSCRIBE with bad flags
                return new byte[] {(byte) 0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00};
            }
            case 4 -> { // invalid UTF-8 in a topic
                return new byte[] {0x30, 0x05, 0x00, 0x03, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
            }
            default -> { // a huge remaining length
                return new byte[] {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
            }
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    @Test
    void thousandsOfMalformedPacketsDisturbNoOtherClient() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start()) {
            MqttClient good = Clients.paho(broker, "well-behaved");
            BlockingQueue<Received> got = Clients.subscribe(good, "robust/t", 1);
            long before = usedHeapAfterGc();
            Random r = new Random(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int sent = 0;
            List<Thread> workers = new ArrayList<>();
            int[] perWorker = new int[20];
            for (int w = 0; w < 20; w++) {
                int id = w;
                Thread t = new Thread(() -> {
                    Random wr = new Random(id);
                    for (int i = 0; i < 250 && System.nanoTime() < deadline; i++) {
                        try (RawClient c = RawClient.open(broker)) {
                            if (i % 2 == 0) {
                                c.sendHex(CONNECT_311 + "6162");
                                c.readRaw(Duration.ofSeconds(2));
                            }
                            c.send(randomPacket(wr, i));
                            // A truncated packet leaves the broker waiting for more: hang up after a moment.
                            c.awaitClosed(Duration.ofMillis(i % 6 == 2 ? 1 : 100));
                            perWorker[id]++;
                        } catch (RuntimeException e) {
                            perWorker[id]++; // a refused connection counts as handled
                        }
                    }
                });
                workers.add(t);
                t.start();
            }
            for (Thread t : workers) {
                t.join(TimeUnit.SECONDS.toMillis(90));
            }
            for (int n : perWorker) {
                sent += n;
            }
            assertThat(sent).isGreaterThanOrEqualTo(4000);
            good.publish("robust/t", "still here".getBytes(), 1, false);
            Received received = got.poll(5, TimeUnit.SECONDS);
            assertThat(received).isNotNull();
            assertThat(received.payload()).isEqualTo("still here");
            assertThat(good.isConnected()).isTrue();
            long after = usedHeapAfterGc();
            assertThat(after - before).as("heap growth after %d bad connections", sent).isLessThan(64L << 20);
            assertThat(broker.vane().broker().stats().clientsConnected()).isEqualTo(1);
            good.disconnect();
            r.nextInt();
        }
    }
}
