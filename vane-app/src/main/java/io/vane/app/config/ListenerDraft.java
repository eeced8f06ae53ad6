package io.vane.app.config;

import io.vane.transport.ListenerConfig;
import io.vane.transport.ListenerConfig.Protocol;

/**
 * One listener section while its file is being read. The default listener (Mosquitto's "port" and
 * the options written before any {@code listener} line) is a draft too, with no port until set.
 */
final class ListenerDraft {

    /** The port Mosquitto gives the default listener when {@code port} is not written. */
    static final int DEFAULT_PORT = 1883;

    Integer port;
    String bindAddress;
    Protocol protocol = Protocol.MQTT;
    int maxConnections = -1;
    /** http_dir: a folder served on a websockets listener instead of the built-in pages. */
    java.nio.file.Path httpDir;
    /** trusted_proxies: reverse proxies whose X-Forwarded-For / X-Real-IP name the client. */
    java.util.List<String> trustedProxies = java.util.List.of();
    /** allowed_origins: Origin values a browser may open a WebSocket from; empty allows any. */
    java.util.List<String> allowedOrigins = java.util.List.of();
    /** max_frame_size: largest WebSocket frame accepted; 0 follows max_packet_size. */
    int maxFrameSize;
    /** TLS options: certfile and keyfile make the listener mqtts or wss. */
    java.nio.file.Path certfile;
    java.nio.file.Path keyfile;
    java.nio.file.Path cafile;
    /** capath: a directory of CA certificates; crlfile: revoked client certificates. */
    java.nio.file.Path capath;
    java.nio.file.Path crlfile;
    boolean requireCertificate;
    /** use_identity_as_username, use_subject_as_username: the first wins when both are true, as in Mosquitto. */
    boolean useIdentity;
    boolean useSubject;
    String tlsVersion;
    String ciphers;
    /** ciphers_tls1.3: the TLS 1.3 suites, Mosquitto's option. */
    String ciphersTls13;
    /** Security options of this listener, used when per_listener_settings is true. */
    Boolean allowAnonymous;
    java.nio.file.Path passwordFile;
    java.nio.file.Path aclFile;
    /** The dynamic-security file of this listener (PluginOptions), with per_listener_settings true. */
    java.nio.file.Path dynsecFile;
    /** Where the section starts, for messages: {@code file:line}, or null for the default listener. */
    final String openedAt;
    /** max_qos was set to something other than 2 in this section. */
    boolean maxQosSet;

    ListenerDraft(Integer port, String bindAddress, String openedAt) {
        this.port = port;
        this.bindAddress = bindAddress;
        this.openedAt = openedAt;
    }

    /**
     * Whether the default listener was configured, which makes it exist next to explicit listeners;
     * the same test as Mosquitto's: any of its settings differs from the listener defaults.
     */
    boolean configured() {
        return port != null || bindAddress != null || protocol != Protocol.MQTT || maxConnections != -1
                || maxQosSet;
    }

    io.vane.broker.security.SecuritySettings security() {
        return new io.vane.broker.security.SecuritySettings(allowAnonymous, passwordFile, aclFile, dynsecFile);
    }

    io.vane.broker.auth.CertificateName certificateName() {
        return useIdentity ? io.vane.broker.auth.CertificateName.COMMON_NAME
                : useSubject ? io.vane.broker.auth.CertificateName.SUBJECT : io.vane.broker.auth.CertificateName.NONE;
    }

    int effectivePort() {
        return port == null ? DEFAULT_PORT : port;
    }

    ListenerConfig freeze() {
        io.vane.transport.tls.TlsSettings tls = certfile == null && keyfile == null ? null
                : new io.vane.transport.tls.TlsSettings(certfile, keyfile, cafile, requireCertificate, tlsVersion,
                        ciphers, ciphersTls13, certificateName(), capath, crlfile);
        return new ListenerConfig(port == null ? DEFAULT_PORT : port, bindAddress, protocol, maxConnections, httpDir,
                trustedProxies, allowedOrigins, maxFrameSize, tls);
    }
}
