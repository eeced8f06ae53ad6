package io.vane.transport.bridge;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.EventExecutor;
import io.vane.broker.bridge.BridgeAddress;
import io.vane.broker.bridge.BridgeSettings;
import io.vane.broker.bridge.BridgeTls;
import io.vane.broker.bridge.RemoteConnector;
import io.vane.broker.bridge.RemoteEvents;
import io.vane.transport.EventLoops;
import io.vane.transport.tls.ServerCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Bridges' connections over Netty, on the server's own event loops (epoll when available): plain TCP,
 * TLS with the bridge's CA, client certificate and host name check, and MQTT over WebSockets. The TLS
 * files are read at each connection, so a renewed certificate is used at the next reconnect.
 */
public final class NettyRemoteConnector implements RemoteConnector {
    /** How long a TCP connect may take before the attempt counts as failed. */
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final EventLoops loops;
    private final int maxPacketSize;

    /**
     * @param maxPacketSize the largest packet taken from a remote broker (max_packet_size)
     */
    public NettyRemoteConnector(EventLoops loops, int maxPacketSize) {
        this.loops = loops;
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public EventExecutor executorFor(String bridgeName) {
        return loops.workers().next();
    }

    @Override
    public void connect(BridgeSettings settings, BridgeAddress address, EventExecutor executor, RemoteEvents events) {
        SslContext ssl;
        try {
            ssl = settings.tls() != null || address.secureWebSocket() ? clientContext(settings.tls()) : null;
        } catch (IOException | ServerCertificate.CertificateProblem | RuntimeException e) {
            executor.execute(() -> events.closed("TLS set-up failed: " + e.getMessage()));
            return;
        }
        boolean hostCheck = settings.tls() == null || !settings.tls().insecure();
        Bootstrap b = new Bootstrap()
                .group((EventLoop) executor)
                .channel(loops.isEpoll() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new RemotePipeline(address, ssl, hostCheck, maxPacketSize, events));
        if (settings.tcpKeepAliveSeconds() > 0) {
            b.option(ChannelOption.SO_KEEPALIVE, true);
            if (loops.isEpoll()) {
                b.option(EpollChannelOption.TCP_KEEPIDLE, settings.tcpKeepAliveSeconds());
                b.option(EpollChannelOption.TCP_KEEPINTVL, settings.tcpKeepAliveInterval() > 0
                        ? settings.tcpKeepAliveInterval() : Math.max(1, settings.tcpKeepAliveSeconds() / 3));
                b.option(EpollChannelOption.TCP_KEEPCNT, settings.tcpKeepAliveCount() > 0
                        ? settings.tcpKeepAliveCount() : 3);
            }
        }
        if (settings.tcpUserTimeoutMillis() > 0 && loops.isEpoll()) {
            b.option(EpollChannelOption.TCP_USER_TIMEOUT, settings.tcpUserTimeoutMillis());
        }
        if (settings.bindAddress() != null) {
            b.localAddress(new InetSocketAddress(settings.bindAddress(), 0));
        }
        b.connect(address.host(), address.port()).addListener(f -> {
            if (!f.isSuccess()) {
                events.closed(describe(f.cause()));
            }
        });
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static SslContext clientContext(BridgeTls tls) throws IOException, ServerCertificate.CertificateProblem {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (tls != null) {
            List<X509Certificate> trusted = new ArrayList<>();
            if (tls.cafile() != null) {
                trusted.addAll(ServerCertificate.readChain(tls.cafile()));
            }
            if (tls.capath() != null) {
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(tls.capath())) {
                    for (Path f : dir) {
                        String n = f.getFileName().toString();
                        if (Files.isRegularFile(f) && (n.endsWith(".pem") || n.endsWith(".crt") || n.matches(
                                "[0-9a-f]{8}\\.[0-9]+"))) {
                            trusted.addAll(ServerCertificate.readChain(f));
                        }
                    }
                }
            }
            if (!trusted.isEmpty()) {
                b.trustManager(trusted.toArray(new X509Certificate[0]));
            }
            if (tls.certfile() != null && tls.keyfile() != null) {
                List<X509Certificate> chain = ServerCertificate.readChain(tls.certfile());
                b.keyManager(ServerCertificate.readKey(tls.keyfile()), chain.toArray(new X509Certificate[0]));
            }
            if (!tls.alpn().isEmpty()) {
                b.applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                        io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        tls.alpn()));
            }
            if (tls.version() != null) {
                b.protocols(tls.version().equalsIgnoreCase("tlsv1.3") ? "TLSv1.3" : "TLSv1.2");
            }
        }
        return b.build();
    }
}
