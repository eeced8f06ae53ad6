package io.vane.broker.connection;

import io.vane.broker.BrokerSettings;
import io.vane.broker.auth.Authenticator.AuthResult;
import io.vane.broker.auth.ClientIdentity;
import io.vane.broker.auth.Credentials;
import io.vane.broker.security.ClientText;
import io.vane.broker.session.Session;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.ReasonCode;
import io.vane.protocol.Topics;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import java.util.UUID;

/** CONNECT (3.1.1 section 3.1, 5.0 section 3.1): identify, authenticate, open the session, CONNACK. */
final class ConnectHandler {
    /** 3.1 (MQIsdp) limits client ids to 23 characters (3.1 spec, CONNECT payload). */
    private static final int V3_1_MAX_CLIENT_ID = 23;

    private ConnectHandler() {
    }

    static void handle(ClientConnection c, Connect p) {
        if (c.state != ClientConnection.State.AWAITING_CONNECT) {
            ClientConnection.LOG.info("Client {} sent a second CONNECT; disconnecting [MQTT-3.1.0-2].",
                    ClientText.forLog(c.clientIdForLog()));
            c.disconnect(ReasonCode.PROTOCOL_ERROR, "second CONNECT");
            return;
        }
        BrokerSettings settings = c.ctx.settings();
        c.version = p.version();
        c.channel.setVersion(p.version());
        c.state = ClientConnection.State.CONNECTING;
        boolean v5 = p.version() == MqttVersion.V5;
        Properties.Builder ack = Properties.builder();
        if (v5) {
            // Read first: a refusal CONNACK already respects them [MQTT-3.1.2-24], [MQTT-3.1.2-29].
            Properties limits = p.properties();
            if (limits.maximumPacketSize() != null) {
                c.clientMaximumPacketSize = limits.maximumPacketSize();
            }
            c.problemInformation = limits.requestProblemInformation() == null
                    || limits.requestProblemInformation() != 0;
        }

        String id = p.clientId();
        // Mosquitto 2.0 refuses control characters in both (decision 0008); Vane says which with a CONNACK.
        if (ClientText.hasControl(id)) {
            refuse(c, p, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client id contains control characters");
            return;
        }
        if (ClientText.hasControl(p.username())) {
            refuse(c, p, ReasonCode.BAD_USER_NAME_OR_PASSWORD, "user name contains control characters");
            return;
        }
        if (id.isEmpty()) {
            // [MQTT-3.1.3-6], [MQTT-3.1.3-7]; 3.1.1 needs Clean Session 1 [MQTT-3.1.3-8]; 3.1 needs an id.
            if (!settings.allowZeroLengthClientid() || p.version() == MqttVersion.V3_1 || (!v5 && !p.cleanStart())) {
                refuse(c, p, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "empty client id");
                return;
            }
            id = settings.autoIdPrefix() + UUID.randomUUID().toString().toUpperCase();
            if (v5) {
                ack.assignedClientIdentifier(id);
            }
        } else if (p.version() == MqttVersion.V3_1 && id.length() > V3_1_MAX_CLIENT_ID) {
            refuse(c, p, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client id longer than 23 characters on MQTT 3.1");
            return;
        }
        long sizeLimit = settings.messageSizeLimit();
        if (sizeLimit > 0 && p.will() != null && p.will().payload().length > sizeLimit) {
            // The will is a PUBLISH to come: message_size_limit holds for it too, refused at CONNECT with
            // Mosquitto's codes (5.0 0x95; 3.1.1 has none closer than "not authorised").
            refuse(c, p, v5 ? ReasonCode.PACKET_TOO_LARGE : ReasonCode.NOT_AUTHORIZED, "will payload of "
                    + p.will().payload().length + " bytes is larger than message_size_limit " + sizeLimit);
            return;
        }
        c.clientId = id;
        c.username = p.username();
        c.cleanStart = p.cleanStart();
        c.bridge = p.bridge() || v5 && p.properties().userProperties().stream()
                .anyMatch(u -> u.name().equals(io.vane.broker.bridge.BridgePaths.BRIDGE_MARK));

        Properties props = p.properties();
        if (v5 && props.authenticationMethod() != null) {
            // Enhanced authentication is not offered [MQTT-3.1.2-?]: refuse the method.
            refuse(c, p, ReasonCode.BAD_AUTHENTICATION_METHOD, "authentication method not supported");
            return;
        }
        boolean byCertificate = c.channel.certificateName() != io.vane.broker.auth.CertificateName.NONE;
        Credentials credentials = new Credentials(id, p.username(), p.password(), c.channel.remoteAddress(),
                c.channel.listenerPort(), byCertificate ? c.channel.peerCertificate() : null,
                c.channel.certificateName());
        boolean guess = !byCertificate && (p.username() != null || p.password() != null);
        if (guess && c.ctx.authenticator().slowPasswordChecks(c.channel.listenerPort())) {
            // argon2id or many PBKDF2 rounds: checked off the event loop, answered back on it (issue 17).
            boolean queued = c.ctx.passwordWork().submit(() -> {
                AuthResult auth = c.ctx.authenticator().authenticate(credentials);
                c.channel.executor().execute(() -> {
                    if (c.state == ClientConnection.State.CONNECTING) {
                        answerGuess(c, p, auth, ack);
                    }
                });
            });
            if (!queued) {
                refuse(c, p, ReasonCode.SERVER_BUSY, "too many logins waiting for their password check");
            }
            return;
        }
        AuthResult auth = c.ctx.authenticator().authenticate(credentials);
        if (byCertificate) {
            // use_identity_as_username / use_subject_as_username: CONNECT's user name and password are not
            // used; the name comes from the verified certificate, answered at once (no password to guess).
            c.username = auth.username();
            if (!auth.accepted()) {
                refuse(c, p, auth.reasonCode(), "no usable client certificate");
                return;
            }
            accepted(c, p, auth, ack);
            return;
        }
        if (p.username() == null && p.password() == null) {
            // No credentials, no guess: answered at once (anonymous access is on or off for everyone).
            if (!auth.accepted()) {
                refuse(c, p, auth.reasonCode(), "not authorised");
                return;
            }
            accepted(c, p, auth, ack);
            return;
        }
        answerGuess(c, p, auth, ack);
    }

    /**
     * A guess takes its turn in the address's queue before its outcome counts: right and wrong passwords
     * are answered at the same moment (decision 0008). Past the CONNECT deadline the transport closes the
     * connection, the same way for both. On the connection's event loop.
     */
    private static void answerGuess(ClientConnection c, Connect p, AuthResult auth, Properties.Builder ack) {
        String remote = c.channel.remoteAddress();
        long delay = c.ctx.loginLimiter().attempt(remote, p.username());
        Runnable answer = () -> {
            if (auth.accepted()) {
                c.ctx.loginLimiter().succeeded(remote, p.username());
                accepted(c, p, auth, ack);
            } else {
                refuse(c, p, auth.reasonCode(), delay == 0 ? "not authorised" : "not authorised, after " + delay + " ms");
            }
        };
        if (delay == 0) {
            answer.run();
        } else {
            c.delayedAnswer = c.channel.executor().schedule(() -> {
                c.delayedAnswer = null;
                if (c.state == ClientConnection.State.CONNECTING) {
                    answer.run();
                }
            }, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** CONNECT passed authentication: keep-alive, 5.0 limits, then the session. */
    private static void accepted(ClientConnection c, Connect p, AuthResult auth, Properties.Builder ack) {
        BrokerSettings settings = c.ctx.settings();
        boolean v5 = p.version() == MqttVersion.V5;
        Properties props = p.properties();
        String id = c.clientId;
        c.identity = ClientIdentity.remote(id, auth.username(), c.channel.listenerPort(), c.channel.remoteAddress());

        int keepAlive = p.keepAlive();
        if (v5 && (keepAlive > settings.maxKeepalive() || (keepAlive == 0 && settings.maxKeepalive() < 65535))) {
            keepAlive = settings.maxKeepalive();
            ack.serverKeepAlive(keepAlive);
        }
        c.keepAlive = keepAlive;
        c.channel.setKeepAlive(keepAlive);

        if (v5) {
            if (props.receiveMaximum() != null) {
                c.clientReceiveMaximum = props.receiveMaximum();
            }
            if (props.topicAliasMaximum() != null) {
                c.clientTopicAliasMaximum = props.topicAliasMaximum();
            }
            c.sessionExpiry = props.sessionExpiryInterval() == null ? 0 : props.sessionExpiryInterval();
            ack.receiveMaximum(inboundReceiveMaximum(settings));
            if (settings.maxTopicAlias() > 0) {
                ack.topicAliasMaximum(settings.maxTopicAlias());
            }
            if (settings.maxPacketSize() > 0) {
                ack.maximumPacketSize((long) settings.maxPacketSize());
            }
            if (!settings.retainAvailable()) {
                ack.retainAvailable(0);
            }
            if (settings.maxQos() < 2) {
                ack.maximumQos(settings.maxQos());
            }
        } else if (p.cleanStart()) {
            c.sessionExpiry = 0;
        } else {
            long exp = settings.persistentClientExpiration();
            c.sessionExpiry = exp == 0 ? SessionLifecycle.NEVER_EXPIRES : exp;
        }
        String deepWill = p.will() == null ? null : Topics.checkLevels(p.will().topic(), settings.maxTopicLevels());
        if (deepWill != null) {
            // The will is published later like any PUBLISH: the same depth limit, refused at CONNECT.
            refuse(c, p, ReasonCode.TOPIC_NAME_INVALID, "will topic of " + deepWill);
            return;
        }
        c.will = p.will();
        if (c.sessionExpiry > 0 && SessionLifecycle.offlineSessionsFull(c.ctx, c.clientId)) {
            refuse(c, p, ReasonCode.QUOTA_EXCEEDED, "max_offline_sessions (" + settings.maxOfflineSessions()
                    + ") reached; a new persistent session is not kept");
            return;
        }
        SessionLifecycle.open(c, ack);
    }

    /** The Receive Maximum Vane announces: how many inbound QoS 2 flows may be open at once. */
    static int inboundReceiveMaximum(BrokerSettings settings) {
        int max = settings.maxInflightMessages();
        return max == 0 ? 65535 : max;
    }

    /** Completes CONNECT once the session is in hand, on the connection's event loop. */
    static void sessionReady(ClientConnection c, Session s, boolean present, Properties.Builder ack) {
        if (c.state != ClientConnection.State.CONNECTING) {
            // The connection died while its session was being fetched: treat as a disconnect.
            c.session = s;
            SessionLifecycle.connectionEnded(c, s, null);
            return;
        }
        boolean sessionPresent = present && !c.cleanStart;
        io.vane.protocol.packet.MqttPacket connAck = c.fittedConnAck(new ConnAck(sessionPresent, ReasonCode.SUCCESS,
                c.version == MqttVersion.V5 ? ack.build() : Properties.NONE));
        if (connAck == null) {
            ClientConnection.LOG.info("Client {} asked for packets of at most {} bytes, fewer than its CONNACK needs;"
                    + " disconnecting.", ClientText.forLog(c.clientId), c.clientMaximumPacketSize);
            c.endLogged = true;
            c.state = ClientConnection.State.CLOSED;
            c.channel.close();
            c.session = s;
            SessionLifecycle.connectionEnded(c, s, null);
            return;
        }
        c.session = s;
        s.setIdentity(c.identity);
        c.state = ClientConnection.State.CONNECTED;
        c.ctx.stats().clientConnected();
        ClientConnection.LOG.debug("Sending CONNACK to {} ({}, 0)", c.clientId, sessionPresent ? 1 : 0);
        c.channel.write(connAck);
        if (ClientConnection.LOG.isInfoEnabled()) {
            ClientConnection.LOG.info(ClientConnection.CONNECTION, "New {} connected from {} as {} (p{}, c{}, k{}{}).",
                    c.bridge ? "bridge" : "client", c.channel.remoteAddress(), c.clientId, protocolNumber(c.version), c.cleanStart ? 1 : 0,
                    c.keepAlive, c.username == null ? "" : ", u'" + ClientText.forLog(c.username) + "'");
        }
        s.keepFor(c.sessionExpiry);
        s.attach(c);
        c.replayPending();
    }

    /** Mosquitto's protocol numbers in its log line: p1 = 3.1, p2 = 3.1.1, p5 = 5.0. */
    private static int protocolNumber(MqttVersion v) {
        return switch (v) {
            case V3_1 -> 1;
            case V3_1_1 -> 2;
            case V5 -> 5;
        };
    }

    private static void refuse(ClientConnection c, Connect p, int reason, String why) {
        // The id is the client's own text: escaped, so a newline in it cannot forge a line of its own.
        ClientConnection.LOG.info("Client {} from {} refused: {} ({}).",
                p.clientId().isEmpty() ? "<empty>" : ClientText.forLog(p.clientId()), c.channel.remoteAddress(), why,
                ReasonCode.describe(reason));
        c.refuseConnect(reason, why);
    }
}
