package io.vane.app.doctor;

import io.vane.broker.auth.ClientIdentity;
import io.vane.broker.routing.TopicMatcher;
import io.vane.broker.security.PasswordFile;
import io.vane.broker.security.SecurityFileException;
import io.vane.broker.security.SecurityPolicy;
import io.vane.broker.security.SecuritySettings;
import io.vane.transport.ListenerConfig;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Whether weewx.conf agrees with the broker, read from the files alone (so it helps while the broker is
 * down): weewx-mqtt's server_url host, port, TLS and password; Belchertown's port, TLS, host and topic;
 * and, by the broker's own ACL code, that weewx's user may write the topic and the page's user may read it.
 */
final class WeewxChecks {
    static final String GROUP = "weewx";

    private WeewxChecks() {
    }

    static void run(Doctor d) {
        if (d.weewx == null) {
            return;
        }
        SecurityPolicy policy;
        try {
            policy = new SecurityPolicy(d.config.security().global(), d.config.security().perListener(),
                    d.config.security().homeData());
        } catch (SecurityFileException e) {
            policy = null; // the files checks said why
        }
        WeewxSettings.Uploader up = d.weewx.uploader();
        if (up == null) {
            d.report().warn(GROUP, "weewx.conf has no [StdRESTful] [[MQTT]] server_url: weewx does not publish to MQTT",
                    "install weewx-mqtt (weectl extension install .../weewx-mqtt/archive/refs/heads/master.zip) and set"
                    + " server_url = mqtt://USER:PASSWORD@HOST:1883/");
        } else {
            uploader(d, up, policy);
        }
        if (d.weewx.page() != null) {
            PageChecks.run(d, d.weewx.page(), up, policy);
        }
    }

    private static void uploader(Doctor d, WeewxSettings.Uploader up, SecurityPolicy policy) {
        Report r = d.report();
        String at = " (weewx.conf line " + up.serverUrl().line() + ")";
        if (up.host() == null) {
            r.fail(GROUP, "server_url " + up.serverUrl().text() + at + " is not a URL",
                    "write it as mqtt://USER:PASSWORD@HOST:1883/ (percent-encode @ : / in the password)");
            return;
        }
        if (!up.enabled()) {
            r.fail(GROUP, "[[MQTT]] has enable = false: weewx does not publish", "set enable = true under [[MQTT]]");
        }
        local(r, "server_url's host " + up.host() + at, up.host());
        ListenerConfig l = d.config.listeners().stream()
                .filter(x -> x.protocol() == ListenerConfig.Protocol.MQTT && x.port() == up.port()).findFirst().orElse(null);
        if (l == null) {
            r.fail(GROUP, "weewx publishes to port " + up.port() + at + ", but the broker's MQTT listeners are on "
                    + mqttPorts(d), "make them agree: change server_url's port, or add 'listener " + up.port() + "'");
            return;
        }
        r.pass(GROUP, "server_url's port " + up.port() + " is the broker's " + ConfigChecks.describe(l) + " listener");
        if (up.tls() != (l.tls() != null)) {
            r.fail(GROUP, up.tls() ? "weewx.conf asks for TLS ([[[tls]]] or mqtts://), but listener " + l.port()
                    + " is plain MQTT" : "listener " + l.port() + " is TLS, but weewx.conf's [[MQTT]] has no [[[tls]]]",
                    up.tls() ? "remove the [[[tls]]] section, or give listener " + l.port() + " certfile and keyfile"
                            : "add [[[tls]]] with ca_certs = the CA file under [[MQTT]], or publish to a plain listener");
        } else {
            r.pass(GROUP, "weewx and listener " + l.port() + " agree on " + (up.tls() ? "TLS" : "plain MQTT (no TLS)"));
        }
        passwordMatches(d, up, l, at);
        if (policy != null) {
            ClientIdentity weewx = ClientIdentity.remote("weewx", up.username(), l.port(), "127.0.0.1:0");
            String who = up.username() == null ? "anonymous (server_url has no user)" : "user " + up.username();
            if (policy.canPublish(weewx, up.loopTopic())) {
                r.pass(GROUP, who + " may publish to " + up.loopTopic() + " by the ACL");
            } else {
                r.fail(GROUP, who + " may not publish to " + up.loopTopic() + " by the ACL: weewx's uploads are dropped",
                        up.username() == null ? "put USER:PASSWORD@ in server_url for a user allowed to write"
                                : "in the ACL file, under 'user " + up.username() + "', add: topic readwrite " + up.topic() + "/#");
            }
        }
    }

    /** The password in server_url against the password file, so a wrong one shows with the broker down. */
    private static void passwordMatches(Doctor d, WeewxSettings.Uploader up, ListenerConfig l, String at) {
        SecuritySettings s = d.config.security().perListener().getOrDefault(l.port(), d.config.security().global());
        if (up.username() == null || s.passwordFile() == null) {
            return;
        }
        PasswordFile pw;
        try {
            pw = PasswordFile.load(s.passwordFile());
        } catch (SecurityFileException e) {
            return; // reported by the files checks
        }
        byte[] given = up.password() == null ? new byte[0] : up.password().getBytes(StandardCharsets.UTF_8);
        if (pw.check(up.username(), given)) {
            d.report().pass(GROUP, "server_url's password for " + up.username() + " matches " + s.passwordFile());
        } else {
            d.report().fail(GROUP, "server_url's user " + up.username() + " and password" + at + " do not match "
                    + s.passwordFile() + ": weewx cannot log in",
                    "set the password again: vane passwd -b " + s.passwordFile() + " " + up.username()
                    + " PASSWORD (or mosquitto_passwd), or correct server_url; then restart weewx and reload Vane");
        }
    }

    /** PASS when {@code host} is this machine, WARN when it names another, FAIL when it does not resolve. */
    static void local(Report r, String what, String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            if (a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null) {
                r.pass(GROUP, what + " is this machine (" + a.getHostAddress() + ")");
            } else {
                r.warn(GROUP, what + " is " + a.getHostAddress() + ", not an address of this machine",
                        "fine if the broker runs there or behind NAT; vane doctor tested the broker on this machine");
            }
        } catch (UnknownHostException e) {
            r.fail(GROUP, what + " does not resolve", "use this machine's IP address or a name that resolves");
        } catch (SocketException e) {
            r.warn(GROUP, what + ": cannot list this machine's addresses (" + e.getMessage() + ")", "");
        }
    }

    static String mqttPorts(Doctor d) {
        String ports = d.config.listeners().stream().filter(x -> x.protocol() == ListenerConfig.Protocol.MQTT)
                .map(x -> String.valueOf(x.port())).collect(Collectors.joining(", "));
        return ports.isEmpty() ? "none" : ports;
    }

    /** Whether weewx's topic, as weewx-mqtt uses it, makes something the page's filter receives. */
    static boolean pageReceives(String pageFilter, WeewxSettings.Uploader up) {
        return TopicMatcher.matches(pageFilter, up.loopTopic()) || TopicMatcher.matches(pageFilter, up.topic());
    }
}
