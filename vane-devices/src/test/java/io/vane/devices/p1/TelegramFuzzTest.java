package io.vane.devices.p1;

import static io.vane.devices.p1.Fixtures.describe;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile lines: every recorded telegram cut at every offset, every single bit flipped, random bytes
 * between telegrams, a megabyte without a newline. Nothing from a damaged telegram is published, the
 * framer's buffer stays bounded, and the next good telegram always comes through.
 */
class TelegramFuzzTest {

    private final List<MeterReading> published = new ArrayList<>();
    private final BadTelegrams bad = new BadTelegrams("fuzz", java.time.Clock.systemUTC());
    private final P1Decoder decoder = new P1Decoder(bad, published::add);

    private void feed(byte[] b) {
        decoder.feed(b, 0, b.length);
        assertThat(decoder.buffered()).isLessThanOrEqualTo(TelegramFramer.MAX_FRAME);
    }

    @Test
    void truncatedAtEveryOffsetNothingPublishedAndTheNextOneIs() {
        for (String name : Fixtures.ALL) {
            byte[] good = Fixtures.bytes(name);
            List<String> expected = describe(Fixtures.reading(name));
            int bang = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('!');
            int cutOffs = 0;
            for (int cut = 1; cut < bang + 1; cut++) {
                published.clear();
                feed(Arrays.copyOf(good, cut));
                assertThat(published).as(name + " cut at " + cut).isEmpty();
                feed(good);
                assertThat(published).as(name + " after a cut at " + cut).hasSize(1);
                assertThat(describe(published.get(0))).isEqualTo(expected);
                cutOffs++;
            }
            assertThat(cutOffs).isEqualTo(bang);
        }
        assertThat(bad.count(Rejection.Reason.TRUNCATED)).isGreaterThan(0);
    }

    @Test
    void truncatedInsideTheCrcIsRejected() {
        for (String name : Fixtures.WITH_CRC) {
            byte[] good = Fixtures.bytes(name);
            int bang = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('!');
            for (int digits = 0; digits < 4; digits++) {
                published.clear();
                feed(Arrays.copyOf(good, bang + 1 + digits));
                feed(new byte[] {'\r', '\n'});
                assertThat(published).as(name + " with " + digits + " CRC digits").isEmpty();
            }
        }
    }

    @Test
    void everySingleBitFlipInASealedTelegramIsRejected() {
        long flips = 0;
        for (String name : Fixtures.WITH_CRC) {
            byte[] good = Fixtures.bytes(name);
            List<String> expected = describe(Fixtures.reading(name));
            for (int i = 0; i < good.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] flipped = good.clone();
                    flipped[i] ^= (byte) (1 << bit);
                    published.clear();
                    feed(flipped);
                    feed(good);
                    // A flip in the CR LF after the CRC leaves the telegram itself intact.
                    for (MeterReading r : published) {
                        assertThat(describe(r)).as(name + " byte " + i + " bit " + bit).isEqualTo(expected);
                    }
                    assertThat(published).as(name + " byte " + i + " bit " + bit).hasSizeBetween(1, 2);
                    flips++;
                }
            }
        }
        assertThat(flips).isGreaterThan(20_000);
        assertThat(bad.count(Rejection.Reason.BAD_CRC)).isGreaterThan(10_000);
    }

    @Test
    void randomBytesBetweenTelegramsCostNothingButThemselves() {
        Random random = new Random(14);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int telegrams = 0;
        for (int round = 0; round < 200; round++) {
            String name = Fixtures.WITH_CRC.get(round % Fixtures.WITH_CRC.size());
            stream.writeBytes(Fixtures.bytes(name));
            telegrams++;
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            stream.writeBytes(noise);
        }
        byte[] all = stream.toByteArray();
        // Fed in uneven pieces, as a serial line delivers them.
        for (int at = 0; at < all.length; ) {
            int n = Math.min(all.length - at, 1 + random.nextInt(64));
            decoder.feed(all, at, n);
            at += n;
        }
        assertThat(published).hasSize(telegrams);
        assertThat(bad.count(Rejection.Reason.GARBAGE)).isGreaterThan(100);
    }

    @Test
    void aMegabyteWithoutNewlineIsDroppedBoundedAndReadingGoesOn() {
        byte[] noise = new byte[1 << 20];
        Arrays.fill(noise, (byte) 'A');
        feed(noise);
        assertThat(decoder.buffered()).isZero();
        feed(new byte[] {'/'});
        feed(noise);
        assertThat(decoder.buffered()).isLessThanOrEqualTo(TelegramFramer.MAX_FRAME);
        assertThat(bad.count(Rejection.Reason.TOO_LONG)).isEqualTo(1);
        feed(new byte[] {'\r', '\n'});
        feed(Fixtures.bytes("dsmr50-iskra-mt382.txt"));
        assertThat(published).hasSize(1);
        assertThat(published.get(0).number("electricity_delivered_1")).isEqualByComparingTo("4.426");
    }

    @Test
    void theLogIsRateLimitedToOneLineAMinute() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(0);
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(now.get());
            }
        };
        BadTelegrams limited = new BadTelegrams("rate", clock);
        for (int second = 0; second < 180; second++) {
            now.set(second * 1000L);
            limited.count(new Rejection(Rejection.Reason.BAD_CRC, "x"));
        }
        // At 0 s, 60 s and 120 s: three lines for 180 bad telegrams.
        assertThat(limited.linesLogged()).isEqualTo(3);
        assertThat(limited.rejectedTelegrams()).isEqualTo(180);
    }
}
