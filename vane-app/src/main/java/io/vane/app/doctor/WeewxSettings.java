package io.vane.app.doctor;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * What doctor needs from a weewx.conf: the weewx-mqtt uploader's {@code [StdRESTful] [[MQTT]]} section
 * (where weewx publishes, as whom, over TLS or not) and Belchertown's
 * {@code [StdReport] [[Belchertown]] [[[Extras]]]} {@code mqtt_websockets_*} settings (where the page
 * subscribes). Either part is null when the file does not have it.
 */
public record WeewxSettings(Uploader uploader, Page page) {

    /**
     * weewx-mqtt's settings.
     *
     * @param serverUrl server_url as written, with its line
     * @param host the broker's host from server_url
     * @param port its port (1883 when server_url has none, as paho's default)
     * @param username the user from server_url, or null
     * @param password the password from server_url, or null
     * @param tls whether a {@code [[[tls]]]} subsection asks for TLS
     * @param topic topic (weewx-mqtt's default {@code weather})
     * @param topicLine the line of topic, or of server_url when topic is not written
     * @param enabled enable is not false (weewx-mqtt's default is enabled)
     */
    public record Uploader(ConfigObj.Value serverUrl, String host, int port, String username, String password,
            boolean tls, String topic, int topicLine, boolean enabled) {
        /** The topic weewx-mqtt publishes loop packets to with {@code aggregation = aggregate}. */
        public String loopTopic() {
            return topic + "/loop";
        }
    }

    /**
     * Belchertown's live-page settings.
     *
     * @param enabled mqtt_websockets_enabled is 1 (or true)
     * @param host mqtt_websockets_host, or null
     * @param port mqtt_websockets_port (8080, Belchertown's default, when not written; -1 when not a number)
     * @param ssl mqtt_websockets_ssl is 1
     * @param topic mqtt_websockets_topic, or null
     * @param username mqtt_websockets_username, or null for anonymous
     * @param password mqtt_websockets_password, or null
     * @param line the line of the Extras section, where these settings live
     */
    public record Page(boolean enabled, String host, int port, boolean ssl, String topic, String username,
            String password, int line) {
        /** The URL the page's JavaScript opens (Paho JS connects to path /mqtt). */
        public URI url() {
            return URI.create((ssl ? "wss" : "ws") + "://" + host + ":" + port + "/mqtt");
        }
    }

    /** Reads the two parts from a parsed weewx.conf; a malformed server_url is reported by the caller. */
    static WeewxSettings of(ConfigObj.Section root) {
        return new WeewxSettings(uploader(root.find("StdRESTful", "MQTT")),
                page(root.find("StdReport", "Belchertown", "Extras")));
    }

    private static Uploader uploader(ConfigObj.Section mqtt) {
        if (mqtt == null || mqtt.value("server_url") == null) {
            return null;
        }
        ConfigObj.Value url = mqtt.value("server_url");
        URI uri;
        try {
            uri = URI.create(url.text());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        String user = null;
        String password = null;
        if (uri != null && uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        ConfigObj.Value topic = mqtt.value("topic");
        boolean tls = mqtt.section("tls") != null || (uri != null && "mqtts".equals(uri.getScheme()));
        return new Uploader(url, uri == null ? null : uri.getHost(), uri == null || uri.getPort() < 0 ? 1883 : uri.getPort(),
                user, password, tls, topic == null ? "weather" : topic.text(),
                topic == null ? url.line() : topic.line(), !"false".equalsIgnoreCase(mqtt.get("enable", "true")));
    }

    private static Page page(ConfigObj.Section extras) {
        if (extras == null || extras.value("mqtt_websockets_host") == null) {
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(extras.get("mqtt_websockets_port", "8080"));
        } catch (NumberFormatException e) {
            port = -1;
        }
        return new Page(truthy(extras.get("mqtt_websockets_enabled", "0")), extras.get("mqtt_websockets_host", null),
                port, truthy(extras.get("mqtt_websockets_ssl", "0")), extras.get("mqtt_websockets_topic", null),
                blankToNull(extras.get("mqtt_websockets_username", null)),
                blankToNull(extras.get("mqtt_websockets_password", null)), extras.line());
    }

    private static boolean truthy(String s) {
        return s.equals("1") || s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes") || s.equalsIgnoreCase("on");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
