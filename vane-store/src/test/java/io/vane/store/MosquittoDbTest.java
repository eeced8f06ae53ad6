package io.vane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vane.broker.Message;
import io.vane.broker.persistence.Persistence;
import io.vane.broker.persistence.StoredSession;
import io.vane.broker.session.SubscriptionRecord;
import io.vane.protocol.UserProperty;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The mosquitto.db reader and import against a file Debian's mosquitto 2.0.11 wrote (made by
 * src/test/resources/mosquitto/make-fixture.py, whose comment says what is in it), and against truncated and
 * corrupted copies of it.
 */
class MosquittoDbTest {
    /** When mosquitto wrote the fixture: it counts subB's one-hour session expiry from then. */
    private static final long SAVED_AT = savedAt();

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger storeLog = (Logger) LoggerFactory.getLogger("vane.store");

    @BeforeEach
    void captureLog() {
        log.start();
        storeLog.addAppender(log);
        storeLog.setLevel(Level.INFO);
    }

    @AfterEach
    void releaseLog() {
        storeLog.detachAppender(log);
    }

    private List<String> lines(Level level) {
        synchronized (log) {
            return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static byte[] fixture() throws Exception {
        try (InputStream in = MosquittoDbTest.class.getResourceAsStream("/mosquitto/mosquitto-2.0.db")) {
            return in.readAllBytes();
        }
    }

    private static long savedAt() {
        try {
            return MosquittoDb.read(ByteBuffer.wrap(fixture())).clients().stream()
                    .filter(c -> c.clientId().equals("subB")).findFirst().orElseThrow().sessionExpiryTime() * 1000
                    - 3_600_000;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Message m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void readsEveryChunkOfTheRealFile() throws Exception {
        MosquittoDb.Contents c = MosquittoDb.read(ByteBuffer.wrap(fixture()));
        assertThat(c.version()).isEqualTo(6);
        assertThat(c.shutdown()).isTrue();
        assertThat(c.clients()).extracting(MosquittoDb.Client::clientId).containsExactlyInAnyOrder("subA", "subB", "live");
        MosquittoDb.Client subB = c.clients().stream().filter(x -> x.clientId().equals("subB")).findFirst().orElseThrow();
        assertThat(subB.sessionExpiryInterval()).isEqualTo(3600);
        // The 64-bit times are in the writer's (little-endian) order: in this decade, not in year 10^11.
        assertThat(subB.sessionExpiryTime()).isBetween(1_700_000_000L, 2_200_000_000L);
        assertThat(c.subs()).extracting(MosquittoDb.Sub::filter).containsExactlyInAnyOrder("topic/#", "topic/#", "other/+",
                "inflight/#");
        assertThat(c.retained()).hasSize(4);
        assertThat(c.clientMsgs()).filteredOn(m -> !m.outgoing()).singleElement()
                .satisfies(m -> assertThat(m.mid()).isEqualTo(9));
        assertThat(c.unknownChunks()).isEmpty();
        assertThat(c.unreadable()).isEmpty();
    }

    @Test
    void realFileMeansWhatMosquittoWouldRestore() throws Exception {
        MosquittoState s = MosquittoState.of(MosquittoDb.read(ByteBuffer.wrap(fixture())), SAVED_AT, SAVED_AT);

        Map<String, Message> retained = s.retained.stream().collect(Collectors.toMap(Message::topic, m -> m));
        assertThat(retained).containsOnlyKeys("topic/ret1", "x/ret2", "x/ret3", "x/exp", "topic/held");
        assertThat(text(retained.get("topic/held"))).as("held until PUBREL, released by the import").isEqualTo("held");
        assertThat(text(retained.get("topic/ret1"))).isEqualTo("hello1");
        assertThat(retained.get("topic/ret1").qos()).isEqualTo(1);
        assertThat(retained.get("x/ret2").qos()).isZero();
        assertThat(retained.get("x/ret3").properties().contentType()).isEqualTo("text/plain");
        assertThat(retained.get("x/ret3").properties().userProperties()).containsExactly(new UserProperty("k", "v"));
        assertThat(retained.get("x/exp").expiresAtMillis()).isBetween(SAVED_AT + 3_590_000, SAVED_AT + 3_610_000);
        assertThat(retained.get("x/exp").properties().messageExpiryInterval()).isNull();
        assertThat(retained.values()).allMatch(Message::retain);

        Map<String, StoredSession> sessions = s.sessions.stream().collect(Collectors.toMap(StoredSession::clientId, x -> x));
        StoredSession subA = sessions.get("subA");
        assertThat(subA.expirySeconds()).isEqualTo(0xFFFF_FFFFL);
        assertThat(subA.subscriptions()).containsExactly(
                new SubscriptionRecord("topic/#", "topic/#", null, 1, false, false, 0, 0));
        assertThat(subA.queued()).extracting(o -> text(o.message())).containsExactly("hello1", "m1", "m2", "m3", "held");
        assertThat(subA.queued()).allMatch(o -> o.qos() == 1 && !o.retain());
        assertThat(subA.inflight()).isEmpty();
        assertThat(subA.inboundQos2()).isEmpty();

        StoredSession subB = sessions.get("subB");
        assertThat(subB.expirySeconds()).isEqualTo(3600);
        assertThat(subB.disconnectedAtMillis()).isBetween(SAVED_AT - 10_000, SAVED_AT);
        assertThat(subB.subscriptions()).containsExactlyInAnyOrder(
                new SubscriptionRecord("topic/#", "topic/#", null, 2, true, true, 0, 7),
                new SubscriptionRecord("other/+", "other/+", null, 0, false, false, 0, 7));
        assertThat(subB.queued()).extracting(o -> text(o.message()) + " q" + o.qos()).containsExactly("hello1 q1",
                "m1 q1", "m2 q1", "m3 q1", "held q2");
        assertThat(subB.queued().get(0).retain()).as("retain as published").isTrue();
        assertThat(subB.queued().get(4).retain()).as("retain as published").isTrue();
        assertThat(subB.queued()).allMatch(o -> Arrays.equals(o.subscriptionIds(), new int[] {7}));

        StoredSession live = sessions.get("live");
        assertThat(live.queued()).isEmpty();
        assertThat(live.inflight()).extracting(e -> text(e.outgoing().message()) + " q" + e.outgoing().qos() + " id"
                + e.packetId() + (e.released() ? " released" : "")).containsExactly("i1 q1 id1", "i2 q1 id2",
                "i3 q2 id3", "i4 q2 id4 released");
        assertThat(live.inboundQos2()).containsExactly(9);
        assertThat(s.released).isEqualTo(1);
        assertThat(s.leftOut).isEmpty();
    }

    @Test
    void expiredSessionsAndMessagesAreLeftOutAsMosquittoWouldDropThem() throws Exception {
        long dayLater = SAVED_AT + 86_400_000L;
        MosquittoState s = MosquittoState.of(MosquittoDb.read(ByteBuffer.wrap(fixture())), dayLater, SAVED_AT);
        assertThat(s.sessions).extracting(StoredSession::clientId).containsExactlyInAnyOrder("subA", "live");
        assertThat(s.retained).extracting(Message::topic).doesNotContain("x/exp").hasSize(4);
        assertThat(s.leftOut).containsKey("sessions whose expiry has passed");
    }

    @Test
    void importsOnceIntoTheStoreAndLeavesTheFileAsItWas() throws Exception {
        Path mosquitto = dir.resolve("mosquitto.db");
        Files.write(mosquitto, fixture());
        long mtime = Files.getLastModifiedTime(mosquitto).toMillis();
        Path file = dir.resolve("vane-store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            store.importMosquitto(mosquitto, SAVED_AT);
        }
        assertThat(lines(Level.INFO)).anySatisfy(l -> assertThat(l).contains("Imported Mosquitto's")
                .contains("5 retained messages, 3 sessions with 4 subscriptions and 14 queued or in-flight messages; 1"
                        + " inbound QoS 2 message that Mosquitto held until PUBREL went to the matching sessions now"));
        assertThat(lines(Level.INFO)).filteredOn(l -> l.contains("Mosquitto")).hasSize(1);
        assertThat(lines(Level.WARN)).isEmpty();
        log.list.clear();
        try (SqliteStore store = SqliteStore.open(file)) {
            store.importMosquitto(mosquitto, SAVED_AT); // a restart: the meta row says it is done
            Recovered r = new Recovered();
            store.recover(r);
            assertThat(r.retained).extracting(Message::topic).containsExactlyInAnyOrder("topic/ret1", "x/ret2", "x/ret3",
                    "x/exp", "topic/held");
            assertThat(r.sessions).extracting(StoredSession::clientId).containsExactlyInAnyOrder("subA", "subB", "live");
            StoredSession live = r.sessions.stream().filter(x -> x.clientId().equals("live")).findFirst().orElseThrow();
            assertThat(live.inflight()).extracting(StoredSession.InflightEntry::packetId).containsExactly(1, 2, 3, 4);
            assertThat(live.inflight()).extracting(StoredSession.InflightEntry::released).containsExactly(false, false,
                    false, true);
            assertThat(live.inboundQos2()).containsExactly(9);
            StoredSession subA = r.sessions.stream().filter(x -> x.clientId().equals("subA")).findFirst().orElseThrow();
            assertThat(subA.queued()).extracting(o -> text(o.message())).containsExactly("hello1", "m1", "m2", "m3", "held");
        }
        assertThat(lines(Level.INFO)).noneMatch(l -> l.contains("Imported"));
        assertThat(lines(Level.WARN)).isEmpty();
        assertThat(Files.readAllBytes(mosquitto)).isEqualTo(fixture());
        assertThat(Files.getLastModifiedTime(mosquitto).toMillis()).isEqualTo(mtime);
    }

    @Test
    void whatVaneAlreadyHasWinsOverTheFile() throws Exception {
        Path mosquitto = dir.resolve("mosquitto.db");
        Files.write(mosquitto, fixture());
        Path file = dir.resolve("vane-store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            store.retained(Message.of("x/ret2", "vane's".getBytes(StandardCharsets.UTF_8), 0, true));
            store.flushed().toCompletableFuture().get();
            store.importMosquitto(mosquitto, SAVED_AT);
            Recovered r = new Recovered();
            store.recover(r);
            assertThat(r.retained).filteredOn(m -> m.topic().equals("x/ret2")).singleElement()
                    .satisfies(m -> assertThat(text(m)).isEqualTo("vane's"));
        }
        assertThat(lines(Level.WARN)).singleElement().satisfies(l -> assertThat(l).contains("1 of the file's retained"
                + " topics and 0 of its sessions; Vane's are kept"));
    }

    @Test
    void aTruncatedFileIsRefusedWholeOrReadAsTheChunksBeforeTheCut() throws Exception {
        byte[] whole = fixture();
        MosquittoDb.Contents all = MosquittoDb.read(ByteBuffer.wrap(whole));
        int records = all.clientMsgs().size() + all.subs().size() + all.retained().size();
        int refused = 0;
        for (int n = 0; n < whole.length; n++) {
            try {
                MosquittoDb.Contents c = MosquittoDb.read(ByteBuffer.wrap(whole, 0, n));
                // A cut between two chunks cannot be told from a shorter file (Mosquitto writes no end mark).
                assertThat(c.clientMsgs().size() + c.subs().size() + c.retained().size()).isLessThan(records);
            } catch (MosquittoDb.Damaged expected) {
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(whole.length * 9 / 10);
    }

    @Test
    void corruptedBytesNeverThrowAnythingButDamaged() throws Exception {
        byte[] whole = fixture();
        Random random = new Random(12);
        for (int i = 0; i < 5_000; i++) {
            byte[] copy = whole.clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            }
            assertThatCode(() -> {
                try {
                    MosquittoState.of(MosquittoDb.read(ByteBuffer.wrap(copy)), SAVED_AT, SAVED_AT);
                } catch (MosquittoDb.Damaged fine) {
                    // refused whole, with a reason
                }
            }).as("case %d", i).doesNotThrowAnyException();
        }
    }

    @Test
    void corruptedFilesThatStillParseImportWithoutStoppingTheStart() throws Exception {
        byte[] whole = fixture();
        Random random = new Random(34);
        int imported = 0;
        for (int i = 0; imported < 60 && i < 5_000; i++) {
            byte[] copy = whole.clone();
            // Corrupt inside the records (past the header and configuration chunk), where damage still parses.
            copy[47 + random.nextInt(copy.length - 47)] = (byte) random.nextInt(256);
            try {
                MosquittoDb.read(ByteBuffer.wrap(copy));
            } catch (MosquittoDb.Damaged refused) {
                continue;
            }
            Path case_ = Files.createDirectories(dir.resolve("case" + i));
            Files.write(case_.resolve("mosquitto.db"), copy);
            try (SqliteStore store = SqliteStore.open(case_.resolve("vane-store.db"))) {
                assertThatCode(() -> store.importMosquitto(case_.resolve("mosquitto.db"), SAVED_AT))
                        .doesNotThrowAnyException();
                store.recover(new Recovered());
            }
            imported++;
        }
        assertThat(imported).isEqualTo(60);
        assertThat(lines(Level.INFO)).filteredOn(l -> l.startsWith("Imported Mosquitto's")).hasSizeGreaterThan(30);
    }

    @Test
    void aDamagedFileIsNotImportedAndVaneStartsEmpty() throws Exception {
        byte[] whole = fixture();
        Path mosquitto = dir.resolve("mosquitto.db");
        Files.write(mosquitto, Arrays.copyOf(whole, whole.length - 3));
        Path file = dir.resolve("vane-store.db");
        try (SqliteStore store = SqliteStore.open(file)) {
            store.importMosquitto(mosquitto, SAVED_AT);
            Recovered r = new Recovered();
            store.recover(r);
            assertThat(r.retained).isEmpty();
            assertThat(r.sessions).isEmpty();
        }
        assertThat(lines(Level.WARN)).singleElement().satisfies(l -> assertThat(l).contains("is damaged")
                .contains("cut short").contains("Vane starts without it"));
        for (byte[] bad : List.of(new byte[0], "not a mosquitto file at all".getBytes(StandardCharsets.UTF_8))) {
            assertThatThrownBy(() -> MosquittoDb.read(ByteBuffer.wrap(bad))).isInstanceOf(MosquittoDb.Damaged.class);
        }
        byte[] v7 = whole.clone();
        v7[22] = 7;
        assertThatThrownBy(() -> MosquittoDb.read(ByteBuffer.wrap(v7))).hasMessageContaining("format version 7");
    }

    @Test
    void anUnknownChunkIsSkippedByItsLengthAndSaidOnce() throws Exception {
        byte[] whole = fixture();
        byte[] unknown = ByteBuffer.allocate(8 + 5).putInt(99).putInt(5).put(new byte[5]).array();
        int at = 23 + 8 + 16; // after the header and the configuration chunk
        byte[] file = new byte[whole.length + unknown.length];
        System.arraycopy(whole, 0, file, 0, at);
        System.arraycopy(unknown, 0, file, at, unknown.length);
        System.arraycopy(whole, at, file, at + unknown.length, whole.length - at);
        MosquittoDb.Contents c = MosquittoDb.read(ByteBuffer.wrap(file));
        assertThat(c.unknownChunks()).containsEntry(99, 1);
        MosquittoState s = MosquittoState.of(c, SAVED_AT, SAVED_AT);
        assertThat(s.retained).hasSize(5);
        assertThat(s.sessions).hasSize(3);
        assertThat(s.leftOut.keySet()).anyMatch(k -> k.contains("type 99"));
    }

    @Test
    void aFileFromABigEndianMachineReadsTheSame() throws Exception {
        byte[] file = fixture();
        ByteBuffer b = ByteBuffer.wrap(file);
        // Swap each 64-bit field (written in the writer's byte order) as a big-endian machine would lay it out.
        for (int at = 23; at < file.length; ) {
            int type = b.getInt(at);
            int length = b.getInt(at + 4);
            int body = at + 8;
            int[] longs = switch (type) {
                case MosquittoDb.BASE_MSG -> new int[] {0, 8};
                case MosquittoDb.CFG, MosquittoDb.CLIENT, MosquittoDb.CLIENT_MSG, MosquittoDb.RETAIN -> new int[] {0};
                default -> new int[0];
            };
            for (int off : longs) {
                b.putLong(body + off, Long.reverseBytes(b.getLong(body + off)));
            }
            at = body + length;
        }
        MosquittoState little = MosquittoState.of(MosquittoDb.read(ByteBuffer.wrap(fixture())), SAVED_AT, SAVED_AT);
        MosquittoState big = MosquittoState.of(MosquittoDb.read(ByteBuffer.wrap(file)), SAVED_AT, SAVED_AT);
        assertThat(big.retained).extracting(m -> m.topic() + " " + m.expiresAtMillis())
                .containsExactlyElementsOf(little.retained.stream().map(m -> m.topic() + " " + m.expiresAtMillis()).toList());
        assertThat(big.sessions).extracting(x -> x.clientId() + " " + x.disconnectedAtMillis() + " " + x.queued().size())
                .containsExactlyElementsOf(little.sessions.stream()
                        .map(x -> x.clientId() + " " + x.disconnectedAtMillis() + " " + x.queued().size()).toList());
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
}
