package io.vane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.vane.broker.BrokerStats;
import io.vane.broker.Message;
import io.vane.broker.delivery.Outgoing;
import io.vane.broker.persistence.Persistence;
import io.vane.broker.persistence.StoredSession;
import io.vane.broker.session.QueueBudget;
import io.vane.broker.session.QueueLimits;
import io.vane.broker.session.Session;
import io.vane.broker.session.SubscriptionRecord;
import io.vane.protocol.Properties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store against real files: what goes in comes back, and damage never stops a start. */
class SqliteStoreTest {
    @TempDir
    Path dir;

    private static Session session(String id, SqliteStore store) {
        return new Session(id, ImmediateEventExecutor.INSTANCE,
                new QueueLimits(0, 0, false, new QueueBudget(0)), new BrokerStats(), System::currentTimeMillis, store);
    }

    private static Message message(String topic, String payload, int qos, Properties props) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, props, Message.NEVER,
                "publisher");
    }

    /** Everything {@link Persistence#recover} hands over. */
    private static final class Recovered implements Persistence.Recovery {
        final List<Message> retained = new ArrayList<>();
        final List<StoredSession> sessions = new ArrayList<>();

        @Override
        public void retained(Message message) {
            retained.add(message);
        }

        @Override
        public void session(StoredSession session) {
            sessions.add(session);
        }
    }

    private Recovered reopen(Path file) throws Exception {
        try (SqliteStore store = SqliteStore.open(file)) {
            Recovered r = new Recovered();
            store.recover(r);
            return r;
        }
    }

    @Test
    void whatGoesInComesBackAfterARestart() throws Exception {
        Path file = dir.resolve("vane-store.db");
        Properties props = Properties.builder().contentType("application/json").responseTopic("reply/here")
                .correlationData(new byte[] {1, 2, 3}).addUserProperty("unit", "°C").build();
        SubscriptionRecord shared = new SubscriptionRecord("$share/g/weather/#", "weather/#", "g", 1, false, false, 0, 0);
        SubscriptionRecord withOptions = new SubscriptionRecord("dsmr/+", "dsmr/+", null, 2, true, true, 2, 7);
        try (SqliteStore store = SqliteStore.open(file)) {
            Message retained = message("weather/loop", "{\"outTemp\": 20.5}", 1, props).withRetain(true);
            store.retained(retained);
            store.retained(message("gone", "x", 0, Properties.NONE).withRetain(true));
            store.retainedCleared("gone");

            Session s = session("meter", store);
            s.keepFor(3600);
            store.subscribed(s, shared);
            store.subscribed(s, withOptions);
            store.subscribed(s, new SubscriptionRecord("old", "old", null, 0, false, false, 0, 0));
            store.unsubscribed(s, "old");
            Outgoing q1 = new Outgoing(message("dsmr/power", "412", 1, props), 1, false, new int[] {7});
            Outgoing q2 = new Outgoing(message("dsmr/gas", "1.5", 2, Properties.NONE), 2, true, new int[0]);
            Outgoing q3 = new Outgoing(message("dsmr/gas", "1.6", 2, Properties.NONE), 2, false, new int[0]);
            store.queued(s, q1);
            store.queued(s, q2);
            store.queued(s, q3);
            store.sentFromQueue(s, 11, q1);
            store.sentFromQueue(s, 12, q2);
            store.released(s, 12);
            store.inboundQos2(s, 5);
            store.inboundQos2(s, 6);
            store.inboundQos2Released(s, 5);
            store.detached(s, 3600, 1_000_000L);

            Session gone = session("clean-later", store);
            gone.keepFor(60);
            store.subscribed(gone, withOptions);
            gone.keepFor(0);
            store.flushed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        Recovered r = reopen(file);
        assertThat(r.retained).singleElement().satisfies(m -> {
            assertThat(m.topic()).isEqualTo("weather/loop");
            assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"outTemp\": 20.5}");
            assertThat(m.retain()).isTrue();
            assertThat(m.qos()).isEqualTo(1);
            assertThat(m.properties()).isEqualTo(props);
            assertThat(m.publisherId()).isEqualTo("publisher");
        });
        assertThat(r.sessions).singleElement().satisfies(stored -> {
            assertThat(stored.clientId()).isEqualTo("meter");
            assertThat(stored.expirySeconds()).isEqualTo(3600);
            assertThat(stored.disconnectedAtMillis()).isEqualTo(1_000_000L);
            assertThat(stored.subscriptions()).containsExactlyInAnyOrder(shared, withOptions);
            assertThat(stored.queued()).singleElement().satisfies(o -> {
                assertThat(new String(o.message().payload(), StandardCharsets.UTF_8)).isEqualTo("1.6");
                assertThat(o.qos()).isEqualTo(2);
            });
            assertThat(stored.inflight()).hasSize(2);
            StoredSession.InflightEntry first = stored.inflight().get(0);
            assertThat(first.packetId()).isEqualTo(11);
            assertThat(first.released()).isFalse();
            assertThat(first.outgoing().subscriptionIds()).containsExactly(7);
            assertThat(first.outgoing().message().properties()).isEqualTo(props);
            StoredSession.InflightEntry second = stored.inflight().get(1);
            assertThat(second.packetId()).isEqualTo(12);
            assertThat(second.released()).isTrue();
            assertThat(second.outgoing().retain()).isTrue();
            assertThat(stored.inboundQos2()).containsExactly(6);
        });
    }

    @Test
    void inFlightOrderIsSendOrderEvenAcrossPacketIdWrapAround() throws Exception {
        Path file = dir.resolve("vane-store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            Session s = session("wrap", store);
            s.keepFor(60);
            for (int id : new int[] {65534, 65535, 1, 2}) {
                store.inflight(s, id, Outgoing.of(message("t", Integer.toString(id), 1, Properties.NONE), 1, false));
            }
            store.flushed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(reopen(file).sessions.get(0).inflight()).extracting(StoredSession.InflightEntry::packetId)
                .containsExactly(65534, 65535, 1, 2);
    }

    @Test
    void aPutAndADeleteOfOneKeyInOneBatchCancelOutAndNothingElseDoes() {
        SqliteStore.Change other = st -> { };
        SqliteStore.Keyed putA = new SqliteStore.Keyed("i/c/5", SqliteStore.Keyed.PUT, other);
        SqliteStore.Keyed release = new SqliteStore.Keyed("i/c/5", SqliteStore.Keyed.UPDATE, other);
        SqliteStore.Keyed delA = new SqliteStore.Keyed("i/c/5", SqliteStore.Keyed.DELETE, other);
        SqliteStore.Keyed putB = new SqliteStore.Keyed("i/c/5", SqliteStore.Keyed.PUT, other);
        SqliteStore.Keyed delOld = new SqliteStore.Keyed("q/c/1", SqliteStore.Keyed.DELETE, other);
        SqliteStore.Keyed putC = new SqliteStore.Keyed("q/c/2", SqliteStore.Keyed.PUT, other);
        SqliteStore.Keyed delC = new SqliteStore.Keyed("q/c/2", SqliteStore.Keyed.DELETE, other);
        // put A, released, delete A: a QoS 2 flow completed inside one batch; then the id is reused (B).
        // A delete of a record put in an earlier batch stays; a plain change ends every open pair.
        boolean[] skip = SqliteStore.cancelledPairs(List.of(putA, release, delA, putB, delOld, putC, other, delC));
        assertThat(skip).containsExactly(true, false, true, false, false, false, false, false);
    }

    @Test
    void changesThatCancelOutLeaveNothingAndTheRestIsWritten() throws Exception {
        Path file = dir.resolve("vane-store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            Session s = session("coalesced", store);
            s.keepFor(60);
            for (int i = 1; i <= 1000; i++) {
                Outgoing o = Outgoing.of(message("t", Integer.toString(i), 1, Properties.NONE), 1, false);
                store.inflight(s, i % 20 + 1, o);
                if (i < 1000) {
                    store.completed(s, i % 20 + 1);
                }
            }
            store.flushed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(reopen(file).sessions.get(0).inflight()).singleElement()
                .satisfies(e -> assertThat(new String(e.outgoing().message().payload(), StandardCharsets.UTF_8))
                        .isEqualTo("1000"));
    }

    @Test
    void aFlushCompletesOnlyOnceTheChangeIsCommitted() throws Exception {
        Path file = dir.resolve("vane-store.db");
        try (SqliteStore store = SqliteStore.open(file);
                Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (int i = 0; i < 200; i++) {
                store.retained(message("r/" + i, "v", 1, Properties.NONE).withRetain(true));
                CompletableFuture<Void> f = store.flushed().toCompletableFuture();
                f.get(10, TimeUnit.SECONDS);
                // Another connection sees the row the moment the stage completes: it was committed first.
                try (Statement st = reader.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM retained")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(i + 1);
                }
            }
        }
    }

    @Test
    void aFullDiskStopsAcknowledgementsAndTheyResumeWhenSpaceReturns() throws Exception {
        Path file = dir.resolve("vane-store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            store.flushed().toCompletableFuture().get(10, TimeUnit.SECONDS);
            // SQLite's own limit on the file's pages answers SQLITE_FULL exactly as a full disk does.
            store.limitPagesForTest(pageCount(file));
            store.retained(message("big", "x".repeat(200_000), 1, Properties.NONE).withRetain(true));
            CompletableFuture<Void> refused = store.flushed().toCompletableFuture();
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("cannot write");
            assertThat(store.failure()).isNotNull();

            store.limitPagesForTest(1_000_000);
            // The change that failed is written on the next try: a flush after it completes.
            store.flushed().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(store.failure()).isNull();
        }
        assertThat(reopen(file).retained).extracting(Message::topic).containsExactly("big");
    }

    private static int pageCount(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aDamagedFileIsMovedAsideAndAnEmptyStoreStarts() throws Exception {
        Path file = dir.resolve("vane-store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            for (int i = 0; i < 500; i++) {
                store.retained(message("r/" + i, "value " + i, 1, Properties.NONE).withRetain(true));
            }
            store.flushed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        byte[] bytes = Files.readAllBytes(file);
        new Random(42).nextBytes(bytes);
        Files.write(file, bytes);

        Recovered r = reopen(file);
        assertThat(r.retained).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("vane-store.db.damaged-"));
        }
        // And the new store works.
        try (SqliteStore store = SqliteStore.open(file)) {
            store.retained(message("after", "ok", 1, Properties.NONE).withRetain(true));
            store.flushed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(reopen(file).retained).extracting(Message::topic).containsExactly("after");
    }

    @Test
    void aTruncatedFileStillServesWhatSurvivesOrStartsEmpty() throws Exception {
        Path file = dir.resolve("vane-store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            for (int i = 0; i < 2000; i++) {
                store.retained(message("r/" + i, "value " + i, 1, Properties.NONE).withRetain(true));
            }
            store.flushed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Recovered r = reopen(file);
        assertThat(r.retained.size()).isLessThan(2000);
    }

    @Test
    void damageAtRandomOffsetsNeverStopsAStartAndNeverServesADamagedMessage() throws Exception {
        Path original = dir.resolve("original.db");
        java.util.Map<String, String> written = new java.util.HashMap<>();
        try (SqliteStore store = SqliteStore.open(original)) {
            for (int i = 0; i < 1500; i++) {
                String value = "value " + i + " " + "x".repeat(i % 200);
                written.put("r/" + i, value);
                store.retained(message("r/" + i, value, 1, Properties.NONE).withRetain(true));
            }
            store.flushed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        byte[] clean = Files.readAllBytes(original);
        long seed = Long.getLong("vane.corruption.seed", System.nanoTime());
        Random random = new Random(seed);
        int served = 0;
        for (int round = 0; round < 20; round++) {
            Path copy = dir.resolve("round-" + round).resolve("vane-store.db");
            Files.createDirectories(copy.getParent());
            byte[] bytes = clean.clone();
            if (round % 4 == 3) {
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            } else {
                for (int hits = 0; hits < 1 + random.nextInt(8); hits++) {
                    int at = random.nextInt(bytes.length);
                    int n = Math.min(bytes.length - at, 1 + random.nextInt(64));
                    for (int k = 0; k < n; k++) {
                        bytes[at + k] = (byte) random.nextInt(256);
                    }
                }
            }
            Files.write(copy, bytes);
            Recovered r = reopen(copy);
            for (Message m : r.retained) {
                // What survives is exactly what was written: a damaged row is skipped, never served.
                assertThat(new String(m.payload(), StandardCharsets.UTF_8)).as("seed %d, round %d, %s", seed, round,
                        m.topic()).isEqualTo(written.get(m.topic()));
            }
            served += r.retained.size();
        }
        assertThat(served).as("seed %d: most of what was written survives small damage", seed).isPositive();
    }

    @Test
    void aLocationThatCannotBeMadeSaysWhatToDo() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> SqliteStore.open(notADirectory.resolve("vane-store.db")))
                .isInstanceOf(java.io.IOException.class);
    }
}
