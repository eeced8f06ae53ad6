package io.vane.app.doctor;

import io.vane.app.config.VaneConfig;
import io.vane.protocol.ReasonCode;
import io.vane.transport.ListenerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed how-to's four checks, against the running broker on this machine: it is up; an anonymous
 * publish to a random topic is refused; an anonymous publish to a weather topic is refused; the
 * configured user (weewx's) may publish. The how-to reads the answers from Mosquitto's log; here they
 * come from MQTT 5 reason codes, so they work against any broker.
 */
final class BrokerChecks {
    static final String GROUP = "broker";
    /** What a test publish carries: an empty JSON object, which a live page that parses it ignores. */
    static final String PAYLOAD = "{}";

    private BrokerChecks() {
    }

    /** The listener to test: plain MQTT first (what weewx uses), then MQTT over TLS, then ws. */
    static ListenerConfig probeListener(VaneConfig c) {
        return c.listeners().stream()
                .filter(l -> !(l.protocol() == ListenerConfig.Protocol.WEBSOCKETS && l.tls() != null))
                .min(Comparator.comparingInt((ListenerConfig l) -> (l.protocol() == ListenerConfig.Protocol.MQTT ? 0 : 2)
                        + (l.tls() != null ? 1 : 0))).orElse(null);
    }

    static void run(Doctor d) {
        Report r = d.report();
        ListenerConfig l = probeListener(d.config);
        if (l == null) {
            r.warn(GROUP, "every listener is wss, so the broker is tested through the public URL only",
                    "give --public-url wss://HOST:PORT/mqtt");
            return;
        }
        Duration timeout = d.inputs().timeout();
        String where = LocalListener.describe(l);
        int anonymous;
        try (MqttProbe p = new MqttProbe(LocalListener.open(l, timeout), timeout)) {
            anonymous = p.connect(null, null);
        } catch (IOException e) {
            r.fail(GROUP, "the broker is not up: nothing answers on " + where + " (" + e.getMessage() + ")",
                    "start it: sudo systemctl start vane (or vane -c FILE), then read its log: journalctl -u vane");
            return;
        }
        if (anonymous < 0) {
            r.fail(GROUP, "the broker is not up: " + where + " accepts connections but sends no CONNACK within "
                    + timeout.toSeconds() + " s", "see what holds the port (ports above) and the broker's log");
            return;
        }
        r.pass(GROUP, "the broker is up on " + where + " (anonymous clients are "
                + (anonymous == 0 ? "let in" : "refused: " + ReasonCode.describe(anonymous)) + ")");
        String random = "vane-doctor/" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        anonymousPublish(r, l, timeout, anonymous, random, "a random topic");
        String weather = weatherTopic(d) + "/vane-doctor";
        anonymousPublish(r, l, timeout, anonymous, weather, "the weather topic");
        userPublish(d, l, weather);
    }

    /** Where weewx publishes: weewx.conf's topic, else the topic asked for, else weather. */
    static String weatherTopic(Doctor d) {
        if (d.weewx != null && d.weewx.uploader() != null) {
            return d.weewx.uploader().topic();
        }
        String t = d.inputs().topic();
        return t == null ? "weather" : t.replaceAll("/?[#+].*$", "");
    }

    private static void anonymousPublish(Report r, ListenerConfig l, Duration timeout, int anonymous, String topic,
            String what) {
        String check = "an anonymous publish to " + what + " (" + topic + ")";
        if (anonymous != 0) {
            r.pass(GROUP, check + " is refused: anonymous clients cannot connect");
            return;
        }
        int code;
        try (MqttProbe p = new MqttProbe(LocalListener.open(l, timeout), timeout)) {
            p.connect(null, null);
            code = p.publish(topic, PAYLOAD);
        } catch (IOException e) {
            r.pass(GROUP, check + " is refused: the broker closed the connection");
            return;
        }
        if (code >= 0x80) {
            r.pass(GROUP, check + " is refused (" + ReasonCode.describe(code) + ")");
        } else if (code < 0) {
            r.warn(GROUP, check + " got no answer within " + timeout.toSeconds() + " s",
                    "check the broker's log for 'Denied PUBLISH' as the how-to does");
        } else {
            r.fail(GROUP, check + " is accepted: anyone who can reach the broker may publish there",
                    "refuse anonymous writes: allow_anonymous false, or an acl_file whose rules before the first"
                    + " 'user' line only read (topic read weather/#)");
        }
    }

    private static void userPublish(Doctor d, ListenerConfig l, String topic) {
        Report r = d.report();
        Duration timeout = d.inputs().timeout();
        WeewxSettings.Uploader up = d.weewx == null ? null : d.weewx.uploader();
        String user = up != null && up.username() != null ? up.username() : d.inputs().user();
        String password = up != null && up.username() != null ? up.password() : d.inputs().password();
        String source = up != null && up.username() != null
                ? "the password in weewx.conf's server_url (line " + up.serverUrl().line() + ")" : "the given password";
        if (user == null) {
            r.warn(GROUP, "no user to test publishing with", "give --weewx-conf FILE, or --user USER --password PASS");
            return;
        }
        try (MqttProbe p = new MqttProbe(LocalListener.open(l, timeout), timeout)) {
            int code = p.connect(user, password);
            if (code != 0) {
                r.fail(GROUP, "the broker refuses user " + user + " with " + source + " ("
                        + (code < 0 ? "no answer" : ReasonCode.describe(code)) + ")",
                        "make them agree: set the password again with vane passwd -b PASSWORD_FILE " + user
                        + " PASSWORD (or mosquitto_passwd), or correct server_url in weewx.conf; then restart weewx");
                return;
            }
            int pub = p.publish(topic, PAYLOAD);
            if (pub >= 0x80 || pub < 0) {
                r.fail(GROUP, "user " + user + " may not publish to " + topic + " ("
                        + (pub < 0 ? "no answer" : ReasonCode.describe(pub)) + ")",
                        "in the ACL file, under 'user " + user + "', add: topic readwrite " + weatherTopic(d) + "/#");
                return;
            }
            r.pass(GROUP, "user " + user + " logs in with " + source + " and may publish to " + topic);
        } catch (IOException e) {
            r.fail(GROUP, "user " + user + " could not be tested: " + e.getMessage(),
                    "see the broker's log for why it closed the connection");
        }
    }
}
