package io.vane.devices.p1;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Random;

/**
 * A DSMR 5.0 household meter with a gas meter on M-Bus channel 1 and a few solar panels: about 300 W
 * base load with a kettle, an oven or a washing machine now and then, an evening peak, solar export
 * around midday, gas for heating in the morning and evening and a shower now and then. Writes real
 * telegrams, CRC and all, so everything downstream is the real path. The counters grow with time so a
 * restart continues near where it left off. Deterministic for a seed and clock.
 */
public final class SimulatedMeter {
    private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");
    /** 2020-01-01: the counters are as if the meter had run since then at a typical household's rate. */
    private static final long EPOCH = 1_577_836_800L;

    private final Clock clock;
    private final Random random;
    private double delivered1;
    private double delivered2;
    private double returned1;
    private double returned2;
    private double gas;
    private long lastSecond;
    private int applianceSecondsLeft;
    private double applianceKw;
    private Instant gasStamp;

    public SimulatedMeter(Clock clock, long seed) {
        this.clock = clock;
        this.random = new Random(seed);
        double years = (clock.instant().getEpochSecond() - EPOCH) / 31_557_600.0;
        // About 2,900 kWh a year in, 700 out, 1,100 m³ of gas.
        delivered1 = 1_000 + years * 1_300;
        delivered2 = 1_200 + years * 1_600;
        returned1 = 100 + years * 250;
        returned2 = 200 + years * 450;
        gas = 2_000 + years * 1_100;
        lastSecond = clock.instant().getEpochSecond();
    }

    /** The next telegram, as the meter would send it now. */
    public byte[] nextTelegram() {
        Instant now = clock.instant();
        ZonedDateTime local = now.atZone(NL);
        double hour = local.getHour() + local.getMinute() / 60.0 + local.getSecond() / 3600.0;
        double seconds = Math.max(0, Math.min(3600, now.getEpochSecond() - lastSecond));
        lastSecond = now.getEpochSecond();

        double load = 0.28 + 0.9 * Math.exp(-Math.pow((hour - 19) / 2.0, 2)) + 0.25 * Math.exp(-Math.pow((hour - 7.5)
                / 1.0, 2)) + random.nextGaussian() * 0.02;
        if (applianceSecondsLeft <= 0 && random.nextDouble() < 0.004) {
            applianceSecondsLeft = 60 + random.nextInt(900);
            applianceKw = 1.0 + random.nextDouble() * 1.2;
        }
        if (applianceSecondsLeft > 0) {
            applianceSecondsLeft -= (int) Math.max(1, seconds);
            load += applianceKw;
        }
        load = Math.max(0.05, load);
        double sun = Math.max(0, Math.sin((hour - 7) / 12 * Math.PI));
        double solar = 1.4 * Math.pow(sun, 1.5) * (0.85 + 0.15 * random.nextDouble());
        double l1 = load * 0.5 - solar;
        double l2 = load * 0.3;
        double l3 = load * 0.2;
        double net = l1 + l2 + l3;
        double in = Math.max(0, net);
        double out = Math.max(0, -net);
        boolean low = local.getHour() >= 23 || local.getHour() < 7 || local.getDayOfWeek() == DayOfWeek.SATURDAY
                || local.getDayOfWeek() == DayOfWeek.SUNDAY;
        if (low) {
            delivered1 += in * seconds / 3600;
            returned1 += out * seconds / 3600;
        } else {
            delivered2 += in * seconds / 3600;
            returned2 += out * seconds / 3600;
        }
        double heating = 0.12 * Math.exp(-Math.pow((hour - 7) / 1.5, 2)) + 0.1 * Math.exp(-Math.pow((hour - 20) / 2.5,
                2)) + 0.01;
        gas += heating * seconds / 3600;
        // DSMR 5 gas meters report every five minutes: the value and the time of the last report.
        Instant fiveMinutes = Instant.ofEpochSecond(now.getEpochSecond() / 300 * 300);
        if (!fiveMinutes.equals(gasStamp)) {
            gasStamp = fiveMinutes;
        }
        double v1 = 229 + solar * 2.5 + random.nextGaussian() * 0.4;
        double v2 = 230 + random.nextGaussian() * 0.4;
        double v3 = 231 + random.nextGaussian() * 0.4;

        StringBuilder t = new StringBuilder();
        line(t, "/ISK5\\2M550T-1013");
        line(t, "");
        line(t, "1-3:0.2.8(50)");
        line(t, "0-0:1.0.0(" + stamp(now) + ")");
        line(t, "0-0:96.1.1(4530303534303037343736393431373139)");
        line(t, "1-0:1.8.1(" + f("%010.3f", delivered1) + "*kWh)");
        line(t, "1-0:1.8.2(" + f("%010.3f", delivered2) + "*kWh)");
        line(t, "1-0:2.8.1(" + f("%010.3f", returned1) + "*kWh)");
        line(t, "1-0:2.8.2(" + f("%010.3f", returned2) + "*kWh)");
        line(t, "0-0:96.14.0(000" + (low ? 1 : 2) + ")");
        line(t, "1-0:1.7.0(" + f("%06.3f", in) + "*kW)");
        line(t, "1-0:2.7.0(" + f("%06.3f", out) + "*kW)");
        line(t, "0-0:96.7.21(00012)");
        line(t, "0-0:96.7.9(00003)");
        line(t, "1-0:99.97.0(1)(0-0:96.7.19)(230414093042S)(0000003651*s)");
        line(t, "1-0:32.32.0(00004)");
        line(t, "1-0:52.32.0(00002)");
        line(t, "1-0:72.32.0(00002)");
        line(t, "1-0:32.36.0(00000)");
        line(t, "1-0:52.36.0(00000)");
        line(t, "1-0:72.36.0(00000)");
        line(t, "0-0:96.13.0()");
        line(t, "1-0:32.7.0(" + f("%05.1f", v1) + "*V)");
        line(t, "1-0:52.7.0(" + f("%05.1f", v2) + "*V)");
        line(t, "1-0:72.7.0(" + f("%05.1f", v3) + "*V)");
        line(t, "1-0:31.7.0(" + f("%03.0f", Math.abs(l1) * 1000 / v1) + "*A)");
        line(t, "1-0:51.7.0(" + f("%03.0f", l2 * 1000 / v2) + "*A)");
        line(t, "1-0:71.7.0(" + f("%03.0f", l3 * 1000 / v3) + "*A)");
        line(t, "1-0:21.7.0(" + f("%06.3f", Math.max(0, l1)) + "*kW)");
        line(t, "1-0:41.7.0(" + f("%06.3f", l2) + "*kW)");
        line(t, "1-0:61.7.0(" + f("%06.3f", l3) + "*kW)");
        line(t, "1-0:22.7.0(" + f("%06.3f", Math.max(0, -l1)) + "*kW)");
        line(t, "1-0:42.7.0(00.000*kW)");
        line(t, "1-0:62.7.0(00.000*kW)");
        line(t, "0-1:24.1.0(003)");
        line(t, "0-1:96.1.0(4730303339303031363532303530323136)");
        line(t, "0-1:24.2.1(" + stamp(gasStamp) + ")(" + f("%09.3f", gas) + "*m3)");
        t.append('!');
        byte[] body = t.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String sealed = t + String.format("%04X", Crc16.of(body)) + "\r\n";
        return sealed.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** {@code YYMMDDhhmmssX} in Dutch local time with its S/W flag. */
    static String stamp(Instant t) {
        ZonedDateTime local = t.atZone(NL);
        boolean summer = NL.getRules().isDaylightSavings(t);
        return String.format(Locale.ROOT, "%02d%02d%02d%02d%02d%02d%s", local.getYear() % 100, local.getMonthValue(),
                local.getDayOfMonth(), local.getHour(), local.getMinute(), local.getSecond(), summer ? "S" : "W");
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }

    private static void line(StringBuilder t, String s) {
        t.append(s).append("\r\n");
    }
}
