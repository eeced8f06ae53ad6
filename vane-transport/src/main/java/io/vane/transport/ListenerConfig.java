package io.vane.transport;

/**
 * One listener block of the configuration: where to listen and which protocol to speak there.
 *
 * @param port the port; 0 picks a free one (tests)
 * @param bindAddress null or empty for every interface
 * @param protocol {@code protocol mqtt} or {@code protocol websockets}
 * @param maxConnections max_connections for this listener, -1 for no limit
 */
public record ListenerConfig(int port, String bindAddress, Protocol protocol, int maxConnections) {

    /** The transport protocol a listener speaks; Mosquitto's config words. */
    public enum Protocol {
        MQTT("mqtt"),
        WEBSOCKETS("websockets");

        private final String configWord;

        Protocol(String configWord) {
            this.configWord = configWord;
        }

        public String configWord() {
            return configWord;
        }
    }

    public static ListenerConfig mqtt(int port) {
        return new ListenerConfig(port, null, Protocol.MQTT, -1);
    }
}
