package io.vane.app.doctor;

import io.vane.broker.auth.ClientIdentity;
import io.vane.broker.security.SecurityPolicy;
import io.vane.transport.ListenerConfig;
import java.net.URI;
import java.util.stream.Collectors;

/** Belchertown's mqtt_websockets_* settings against the broker's listeners, ACL and weewx's topic. */
final class PageChecks {
    private static final String GROUP = WeewxChecks.GROUP;

    private PageChecks() {
    }

    static void run(Doctor d, WeewxSettings.Page page, WeewxSettings.Uploader up, SecurityPolicy policy) {
        Report r = d.report();
        String at = " (weewx.conf [[[Extras]]] at line " + page.line() + ")";
        if (!page.enabled()) {
            r.warn(GROUP, "mqtt_websockets_enabled is not 1" + at + ": the page shows no live data",
                    "set mqtt_websockets_enabled = 1");
        }
        URI publicUrl = d.inputs().publicUrl();
        if (publicUrl != null && !publicUrl.getHost().equalsIgnoreCase(page.host())) {
            r.fail(GROUP, "mqtt_websockets_host " + page.host() + " is not the public URL's host " + publicUrl.getHost(),
                    "these two must match (the how-to's CAUTION): set mqtt_websockets_host = " + publicUrl.getHost()
                    + " and wait for the next report run");
        }
        ListenerConfig l = d.config.listeners().stream()
                .filter(x -> x.protocol() == ListenerConfig.Protocol.WEBSOCKETS && x.port() == page.port())
                .findFirst().orElse(null);
        if (l == null) {
            boolean proxied = publicUrl != null && WebSocketChecks.port(publicUrl) == page.port();
            String ws = d.config.listeners().stream().filter(x -> x.protocol() == ListenerConfig.Protocol.WEBSOCKETS)
                    .map(x -> String.valueOf(x.port())).collect(Collectors.joining(", "));
            if (proxied) {
                r.warn(GROUP, "the page connects to port " + page.port() + ", which is not a Vane listener",
                        "fine behind a reverse proxy that forwards it to a websockets listener (" + ws + ")");
            } else {
                r.fail(GROUP, "the page connects to port " + page.port() + at + ", but the broker's websockets"
                        + " listeners are on " + (ws.isEmpty() ? "no port" : ws),
                        ws.isEmpty() ? "add 'listener " + page.port() + "' then 'protocol websockets' to the config"
                                : "set mqtt_websockets_port = " + ws.split(", ")[0]);
            }
        } else {
            r.pass(GROUP, "mqtt_websockets_port " + page.port() + " is the broker's " + ConfigChecks.describe(l)
                    + " listener");
            if (page.ssl() != (l.tls() != null)) {
                r.fail(GROUP, page.ssl() ? "mqtt_websockets_ssl = 1 but listener " + l.port() + " is plain ws"
                        : "listener " + l.port() + " is wss (TLS) but mqtt_websockets_ssl = 0",
                        page.ssl() ? "give listener " + l.port() + " certfile and keyfile, or set mqtt_websockets_ssl = 0"
                                : "set mqtt_websockets_ssl = 1");
            }
        }
        if (page.topic() == null) {
            r.fail(GROUP, "mqtt_websockets_topic is not set" + at, "set mqtt_websockets_topic = "
                    + (up == null ? "weather" : up.topic()) + "/loop");
            return;
        }
        if (up != null) {
            if (WeewxChecks.pageReceives(page.topic(), up)) {
                r.pass(GROUP, "the page's topic " + page.topic() + " receives what weewx publishes (" + up.loopTopic() + ")");
            } else {
                r.fail(GROUP, "the page subscribes to " + page.topic() + ", but weewx publishes to " + up.loopTopic(),
                        "set mqtt_websockets_topic = " + up.loopTopic() + " (or weewx's topic = "
                        + page.topic().replaceAll("/loop$", "") + ")");
            }
        }
        if (policy != null) {
            acl(r, page, up, policy, l == null ? page.port() : l.port());
        }
    }

    private static void acl(Report r, WeewxSettings.Page page, WeewxSettings.Uploader up, SecurityPolicy policy,
            int port) {
        // A visitor comes from anywhere: judge it as a remote address, so home-data rules do not flatter it.
        ClientIdentity visitor = ClientIdentity.remote("page", page.username(), port, "192.0.2.1:0");
        String who = page.username() == null ? "anonymous (the page's user)" : page.username() + " (the page's user)";
        String sample = up != null ? up.loopTopic() : page.topic().replace("#", "loop").replace("+", "loop");
        if (policy.canSubscribe(visitor, page.topic()) && policy.canRead(visitor, sample)) {
            r.pass(GROUP, who + " may read " + page.topic() + " by the ACL");
        } else {
            r.fail(GROUP, who + " may not read " + page.topic() + " by the ACL: the page stays on 'Connected."
                    + " Waiting for data.'", DataChecks.readFix(page.username(), page.topic()));
        }
        if (page.username() != null && policy.canPublish(visitor, sample)) {
            r.fail(GROUP, who + " may publish to " + sample + ", and every visitor can read its password in the"
                    + " page's JavaScript", "give the page a read-only user (vane passwd -b PASSWORD_FILE page PASSWORD;"
                    + " in the ACL: user page, topic read " + page.topic() + "), or leave mqtt_websockets_username"
                    + " empty and let anonymous clients read " + page.topic());
        }
    }
}
