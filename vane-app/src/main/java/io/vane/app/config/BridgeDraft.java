package io.vane.app.config;

import io.vane.broker.bridge.BridgeAddress;
import io.vane.broker.bridge.BridgeSettings;
import io.vane.broker.bridge.BridgeTls;
import io.vane.broker.bridge.BridgeTopic;
import io.vane.protocol.MqttVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code connection NAME} section while it is parsed: where it was opened and what its option
 * lines set ({@link BridgeOptions} writes here), with null for "not written" so that {@link #freeze}
 * can apply Mosquitto 2.0's defaults, some of which depend on other options.
 */
final class BridgeDraft {
    final String name;
    final Path file;
    final int line;

    final List<BridgeAddress> addresses = new ArrayList<>();
    Boolean roundRobin;
    final List<BridgeTopic> topics = new ArrayList<>();
    String remoteClientId;
    String localClientId;
    String remoteUsername;
    String remotePassword;
    String localUsername;
    String localPassword;
    Boolean cleanSession;
    Boolean localCleanSession;
    MqttVersion protocol;
    Boolean tryPrivate;
    Integer keepAlive;
    BridgeSettings.StartType startType;
    Integer idleTimeout;
    Integer threshold;
    Integer restartBase;
    Integer restartCap;
    Boolean notifications;
    Boolean notificationsLocalOnly;
    String notificationTopic;
    Boolean attemptUnsubscribe;
    Boolean outgoingRetain;
    Integer maxPacketSize;
    String bindAddress;
    Path cafile;
    Path capath;
    Path certfile;
    Path keyfile;
    Boolean insecure;
    String tlsVersion;
    List<String> alpn = List.of();
    Integer receiveMaximum;
    Long sessionExpiry;
    Integer tcpKeepAlive;
    int tcpKeepAliveInterval;
    int tcpKeepAliveCount;
    Integer tcpUserTimeout;
    Long maxQueuedMessages;
    Long maxQueuedBytes;
    /** bridge_reload_type: whether SIGHUP reconnects a changed bridge at once (immediate) or lazily. */
    boolean reloadImmediate;

    BridgeDraft(String name, Path file, int line) {
        this.name = name;
        this.file = file;
        this.line = line;
    }

    /**
     * The section with Mosquitto 2.0's defaults (src/conf.c, src/bridge.c) for what was not written.
     *
     * @param hostName this machine's name: the remote client id is {@code <hostname>.<connection name>}
     */
    BridgeSettings freeze(String hostName) throws ConfigException {
        if (addresses.isEmpty()) {
            throw new ConfigException(file, line, "connection " + name + " has no address; write e.g. address"
                    + " broker.example.org:1883 after it");
        }
        if (topics.isEmpty()) {
            throw new ConfigException(file, line, "connection " + name + " has no topic line, so nothing would"
                    + " cross it; write e.g. topic # in (receive everything) or topic # out (send everything)");
        }
        boolean wss = addresses.stream().anyMatch(BridgeAddress::secureWebSocket);
        boolean tls = cafile != null || capath != null || certfile != null || wss;
        if (certfile != null ^ keyfile != null) {
            throw new ConfigException(file, line, "connection " + name + " has bridge_" + (certfile != null
                    ? "certfile without bridge_keyfile" : "keyfile without bridge_certfile")
                    + "; a client certificate needs both");
        }
        String tlsOnly = insecure != null && insecure ? "bridge_insecure" : tlsVersion != null ? "bridge_tls_version"
                : !alpn.isEmpty() ? "bridge_alpn" : null;
        if (tlsOnly != null && !tls) {
            throw new ConfigException(file, line, "connection " + name + " sets " + tlsOnly + " without TLS;"
                    + " add bridge_cafile (or bridge_capath, or a wss:// address), or remove " + tlsOnly);
        }
        String remoteId = remoteClientId != null ? remoteClientId : hostName + "." + name;
        boolean clean = cleanSession != null && cleanSession;
        int base = restartBase != null ? restartBase : 5;
        int cap = restartBase != null ? (restartCap != null ? restartCap : base) : 30;
        BridgeTls tlsSettings = tls ? new BridgeTls(cafile, capath, certfile, keyfile, insecure != null && insecure,
                tlsVersion, alpn) : null;
        return new BridgeSettings(name, addresses, roundRobin != null && roundRobin, topics, remoteId,
                localClientId != null ? localClientId : "local." + remoteId, remoteUsername, remotePassword,
                localUsername, clean, localCleanSession != null ? localCleanSession : clean,
                protocol != null ? protocol : MqttVersion.V3_1_1, tryPrivate == null || tryPrivate,
                keepAlive != null ? keepAlive : 60,
                startType != null ? startType : BridgeSettings.StartType.AUTOMATIC,
                idleTimeout != null ? idleTimeout : 60, threshold != null ? threshold : 10, base, cap,
                notifications == null || notifications, notificationsLocalOnly != null && notificationsLocalOnly,
                notificationTopic, attemptUnsubscribe == null || attemptUnsubscribe,
                outgoingRetain == null || outgoingRetain, maxPacketSize != null ? maxPacketSize : 0, bindAddress,
                tlsSettings, receiveMaximum != null ? receiveMaximum : 0, sessionExpiry != null ? sessionExpiry : -1,
                tcpKeepAlive != null ? tcpKeepAlive : 0, tcpKeepAliveInterval, tcpKeepAliveCount, tcpUserTimeout != null ? tcpUserTimeout : 0,
                maxQueuedMessages != null ? maxQueuedMessages : -1, maxQueuedBytes != null ? maxQueuedBytes : -1, reloadImmediate);
    }
}
