package io.vane.app.doctor;

import io.vane.protocol.ReasonCode;
import io.vane.transport.ListenerConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether data arrives where the page looks, as the page's user, within --wait seconds, and when the
 * last of it was made. "Connected. Waiting for data." with no hint that the topic or the ACL is wrong
 * is the failure this answers (Belchertown #468).
 */
final class DataChecks {
    static final String GROUP = "data";
    /** weewx-mqtt stamps each packet with weewx's dateTime (epoch seconds), as a number or a string. */
    private static final Pattern DATE_TIME = Pattern.compile("\"dateTime\"\\s*:\\s*\"?([0-9]+)(?:\\.[0-9]*)?\"?");

    private DataChecks() {
    }

    /** The filter to watch: --topic, else the page's topic, else weewx's topic/#, else weather/#. */
    static String topic(Doctor d) {
        if (d.inputs().topic() != null) {
            return d.inputs().topic();
        }
        if (d.weewx != null && d.weewx.page() != null && d.weewx.page().topic() != null) {
            return d.weewx.page().topic();
        }
        if (d.weewx != null && d.weewx.uploader() != null) {
            return d.weewx.uploader().topic() + "/#";
        }
        return "weather/#";
    }

    static void run(Doctor d) {
        Report r = d.report();
        String topic = topic(d);
        String user = d.weewx != null && d.weewx.page() != null ? d.weewx.page().username() : null;
        String password = user == null ? null : d.weewx.page().password();
        String who = user == null ? "anonymous (the page's user)" : user + " (the page's user)";
        Duration timeout = d.inputs().timeout();
        ListenerConfig local = BrokerChecks.probeListener(d.config);
        if (local == null && d.pageUrl == null) {
            r.warn(GROUP, "data on " + topic + " was not watched: every listener is wss and the public URL did not"
                    + " connect", "give --public-url wss://HOST:PORT/mqtt (and --cafile for a home CA)");
            return;
        }
        try (MqttProbe p = new MqttProbe(d.pageUrl != null
                ? WebSocketWire.open(d.pageUrl, Trust.of(d.inputs().cafile()), timeout)
                : LocalListener.open(local, timeout), timeout)) {
            int connect = p.connect(user, password);
            if (connect != 0) {
                r.fail(GROUP, who + " cannot connect to read " + topic + " ("
                        + (connect < 0 ? "no answer" : ReasonCode.describe(connect)) + ")",
                        user == null ? "let anonymous clients in to read: allow_anonymous true with an acl_file"
                                + " whose first rules say topic read " + topic
                                : "make mqtt_websockets_password in weewx.conf match " + user + "'s password");
                return;
            }
            int granted = p.subscribe(topic);
            if (granted >= 0x80 || granted < 0) {
                r.fail(GROUP, who + " may not read " + topic + " ("
                        + (granted < 0 ? "no SUBACK" : ReasonCode.describe(granted)) + "): the page stays on"
                        + " 'Connected. Waiting for data.'", readFix(user, topic));
                return;
            }
            watch(r, p, topic, d.inputs().dataWait());
        } catch (IOException e) {
            r.fail(GROUP, "could not subscribe to " + topic + ": " + e.getMessage(),
                    "fix the broker checks above first");
        }
    }

    static String readFix(String user, String topic) {
        return user == null ? "in the ACL file, before the first 'user' line (rules for anonymous clients), add: topic read "
                + topic : "in the ACL file, under 'user " + user + "', add: topic read " + topic;
    }

    private static void watch(Report r, MqttProbe p, String topic, Duration wait) throws IOException {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        MqttProbe.Message retained = null;
        while (System.nanoTime() < deadline) {
            MqttProbe.Message m = p.nextMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (m == null) {
                break;
            }
            if (m.retained()) {
                retained = m;
                continue;
            }
            r.pass(GROUP, "data arrives on " + topic + ": a message on " + m.topic() + " after "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms" + stamp(m));
            return;
        }
        String fix = "check that weewx runs and logs 'MQTT: Published record' (log_success = true in [[MQTT]]),"
                + " that its server_url reaches this broker, and that its topic makes " + topic
                + " (topic = weather with aggregation = aggregate publishes weather/loop)";
        if (retained != null) {
            r.warn(GROUP, "no new message on " + topic + " in " + wait.toSeconds() + " s; the last one kept (retained)"
                    + " is on " + retained.topic() + stamp(retained), fix);
        } else {
            r.fail(GROUP, "no data on " + topic + " in " + wait.toSeconds() + " s, and no retained message there", fix);
        }
    }

    /** When weewx made the message, from its dateTime field, or nothing when it has none. */
    static String stamp(MqttProbe.Message m) {
        Matcher dt = DATE_TIME.matcher(m.text());
        if (!dt.find()) {
            return "";
        }
        Instant made = Instant.ofEpochSecond(Long.parseLong(dt.group(1)));
        long ago = Duration.between(made, Instant.now()).toSeconds();
        return " (weewx made it at " + made + ", " + ago + " s ago)";
    }
}
