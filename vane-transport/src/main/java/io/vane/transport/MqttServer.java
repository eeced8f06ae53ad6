package io.vane.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.vane.broker.Broker;
import io.vane.broker.auth.ClientIdentity;
import io.vane.transport.tls.ReloadingCertificate;
import io.vane.transport.tls.ServerCertificate;
import io.vane.transport.http.HttpEndpoints;
import io.vane.transport.http.StaticContent;
import io.vane.transport.http.StatusReport;
import io.vane.transport.websocket.WebSocketPipeline;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the configured listeners and connects each accepted socket to the broker. Every listener ends
 * in the same MQTT decoder and connection handler; a websockets listener puts HTTP and WebSocket
 * handlers in front of them (and answers plain HTTP on the same port).
 */
public final class MqttServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vane.transport");
    /**
     * Outbound bytes per connection above which a connection that does not drain below the low mark
     * within {@link MqttConnectionHandler#STALL_NANOS} is stalled and gets no more QoS 0 (decision 0002).
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);
    /**
     * What a connection above its high-water mark but still reading (not yet stalled) may hold before
     * QoS 0 is dropped for it anyway; the broker's budget bounds all of them together (decision 0002).
     */
    static final long READING_LIMIT_BYTES = 4L * 1024 * 1024;

    private final Broker broker;
    private final EventLoops loops;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> bound = new CopyOnWriteArrayList<>();

    private final List<StatusReport.Listener> listeners = new CopyOnWriteArrayList<>();
    private final StatusReport status;
    /** All listeners' connections together: what they may queue for slow readers. */
    private final OutboundBudget budget;
    /** How often certificate files are checked for renewal. */
    static final int CERTIFICATE_CHECK_SECONDS = 2;
    private java.util.concurrent.ScheduledExecutorService certificateWatch;
    private io.vane.transport.http.HistorySource history = (topic, since, range) -> null;
    /** Workers for HTTP answers that grow with data, shared by all websockets listeners; made at the first. */
    private io.vane.transport.http.HttpWork httpWork;
    private int httpThreads = 1;
    private int connectTimeout = ConnectDeadline.DEFAULT_SECONDS;
    private io.vane.transport.http.OpsEndpoints ops = io.vane.transport.http.OpsEndpoints.NONE;
    /** Each bound TLS listener's port and certificate, in bind order. */
    private final List<TlsListener> tlsListeners = new CopyOnWriteArrayList<>();

    /** A bound TLS listener: its port and the certificate it serves now. */
    public record TlsListener(int port, ReloadingCertificate certificate) {
    }

    public MqttServer(Broker broker, EventLoops loops) {
        this(broker, loops, "dev");
    }

    /** @param version shown by {@code /api/status} on websockets listeners */
    public MqttServer(Broker broker, EventLoops loops, String version) {
        this.broker = broker;
        this.loops = loops;
        this.status = new StatusReport(broker, version, System::currentTimeMillis, () -> List.copyOf(listeners));
        this.budget = new OutboundBudget(OutboundBudget.forThisJvm(), loops.boss().next());
    }

    /** Reads a TLS listener's files and builds its context; throws with the user's sentence when it cannot. */
    private static ReloadingCertificate loadCertificate(ListenerConfig listener) {
        try {
            return new ReloadingCertificate(listener.tls());
        } catch (ServerCertificate.CertificateProblem e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Checks the certificate's files for renewal from now on. */
    private void watch(ReloadingCertificate cert) {
        if (certificateWatch == null) {
            certificateWatch = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vane-tls-watch");
                t.setDaemon(true);
                return t;
            });
        }
        certificateWatch.scheduleWithFixedDelay(cert::checkForChanges, CERTIFICATE_CHECK_SECONDS,
                CERTIFICATE_CHECK_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * Binds all listeners together: every TLS listener's certificate is loaded first, in parallel, and
     * only then are the sockets opened, one right after the other. So a TLS listener comes up with the
     * others instead of seconds later (issue 11: 11.5 s on a loaded machine), and nothing listens
     * before all of them can. Throws like {@link #bind} on the first listener that cannot start.
     */
    public List<InetSocketAddress> bindAll(List<ListenerConfig> configs) {
        List<java.util.concurrent.CompletableFuture<ReloadingCertificate>> certs = new ArrayList<>();
        for (ListenerConfig l : configs) {
            if (l.tls() == null) {
                certs.add(java.util.concurrent.CompletableFuture.completedFuture(null));
            } else {
                java.util.concurrent.CompletableFuture<ReloadingCertificate> f = new java.util.concurrent.CompletableFuture<>();
                Thread t = new Thread(() -> {
                    try {
                        f.complete(loadCertificate(l));
                    } catch (RuntimeException | Error e) {
                        f.completeExceptionally(e);
                    }
                }, "vane-tls-load-" + l.port());
                t.setDaemon(true);
                t.start();
                certs.add(f);
            }
        }
        List<ReloadingCertificate> loaded = new ArrayList<>();
        for (java.util.concurrent.CompletableFuture<ReloadingCertificate> f : certs) {
            try {
                loaded.add(f.join());
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            out.add(bind(configs.get(i), loaded.get(i)));
        }
        return out;
    }

    /** Where /api/history is answered; set before binding websockets listeners. */
    public void setHistory(io.vane.transport.http.HistorySource source) {
        this.history = source;
    }

    /** /metrics and /health on websockets listeners, with who may read them; set before binding. */
    public void setOps(io.vane.transport.http.OpsEndpoints endpoints) {
        this.ops = endpoints;
    }

    /** Workers for history answers and files from http_dir (decision 0009); set before binding. */
    public void setHttpThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("http threads must be at least 1: " + threads);
        }
        this.httpThreads = threads;
    }

    /**
     * Seconds from accept within which TLS, the WebSocket upgrade and CONNECT must be done
     * (connect_timeout, decision 0008); applies to listeners bound after the call.
     */
    public void setConnectTimeout(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("connect timeout must be at least 1 s: " + seconds);
        }
        this.connectTimeout = seconds;
    }

    private io.vane.transport.http.HttpWork httpWork() {
        if (httpWork == null) {
            httpWork = new io.vane.transport.http.HttpWork(httpThreads);
        }
        return httpWork;
    }

    /** Binds one listener; throws (with the port in the message) when it cannot. */
    public InetSocketAddress bind(ListenerConfig listener) {
        return bind(listener, listener.tls() == null ? null : loadCertificate(listener));
    }

    private InetSocketAddress bind(ListenerConfig listener, ReloadingCertificate certificate) {
        if (certificate != null) {
            watch(certificate);
        }
        int maxPacket = broker.settings().effectiveMaxPacketSize();
        // The one MQTT decoder and connection handler, behind whatever the protocol puts in front.
        int connectTimeout = this.connectTimeout;
        boolean websockets = listener.protocol() == ListenerConfig.Protocol.WEBSOCKETS;
        // Plain MQTT: the connection handler's one timer is the CONNECT deadline, then the keep-alive.
        // WebSockets: armed at accept (ConnectDeadline), as the handler comes only after the upgrade.
        int handlerDeadline = websockets ? 0 : connectTimeout;
        Consumer<ChannelPipeline> mqttTail = p -> {
            int port = ((InetSocketAddress) p.channel().localAddress()).getPort();
            p.addLast(MqttConnectionHandler.DECODER, new MqttFrameDecoder(maxPacket, broker.stats()));
            p.addLast("mqtt", new MqttConnectionHandler(broker, port, budget, listener.tls() == null
                    ? io.vane.broker.auth.CertificateName.NONE : listener.tls().certificateName(), handlerDeadline));
        };
        // Plain MQTT gets its two handlers straight from the accept initializer below: no second
        // initializer added and removed per connection (issue 17, connects).
        ChannelHandler front = switch (listener.protocol()) {
            case MQTT -> null;
            case WEBSOCKETS -> new WebSocketPipeline(listener,
                    listener.maxFrameSize() == 0 ? maxPacket : listener.maxFrameSize(),
                    new HttpEndpoints(new StaticContent(listener.httpDir(), MqttServer.class.getClassLoader()),
                            status, history, (ctx, topic) -> broker.authorizer().canRead(ClientIdentity.remote(
                                    "http:" + ctx.channel().remoteAddress(), null,
                                    ((InetSocketAddress) ctx.channel().localAddress()).getPort(),
                                    ClientAddress.of(ctx.channel())), topic),
                            httpWork(), ops),
                    mqttTail);
        };
        ConnectionLimit limit = new ConnectionLimit(listener.maxConnections());
        ServerBootstrap b = new ServerBootstrap()
                .group(loops.boss(), loops.workers())
                .channel(loops.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (limit.admit(ch)) {
                            budget.add(ch);
                            if (websockets) {
                                ConnectDeadline.arm(ch, connectTimeout);
                            }
                            if (certificate != null) {
                                // Read at every accept: a renewed certificate serves the next connection.
                                ch.pipeline().addLast("tls", certificate.current().newHandler(ch.alloc()));
                            }
                            if (front == null) {
                                mqttTail.accept(ch.pipeline());
                            } else {
                                ch.pipeline().addLast(front);
                            }
                            if (websockets && ch.pipeline().get("http-gate") != null) {
                                ch.pipeline().addBefore("http-gate", "connect-deadline",
                                        ConnectDeadline.FirstHttpRequest.INSTANCE);
                            }
                        } else {
                            ch.close();
                        }
                    }
                });
        InetSocketAddress address = listener.bindAddress() == null || listener.bindAddress().isEmpty()
                ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.bindAddress(), listener.port());
        Channel ch;
        try {
            ch = b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new BindFailedException(listener.port(), e);
        }
        InetSocketAddress local = (InetSocketAddress) ch.localAddress();
        channels.add(ch);
        bound.add(local);
        listeners.add(new StatusReport.Listener(local.getPort(), listener.protocol().configWord()));
        if (certificate != null) {
            tlsListeners.add(new TlsListener(local.getPort(), certificate));
        }
        if (listener.protocol() == ListenerConfig.Protocol.WEBSOCKETS) {
            LOG.info("Opening websockets listen socket on port {}.", local.getPort());
        } else if (local.getAddress().isAnyLocalAddress()) {
            // One dual-stack socket serves both; Mosquitto opens two and logs both, and so do we.
            LOG.info("Opening ipv4 listen socket on port {}.", local.getPort());
            LOG.info("Opening ipv6 listen socket on port {}.", local.getPort());
        } else {
            LOG.info("Opening {} listen socket on port {}.",
                    local.getAddress().getAddress().length == 16 ? "ipv6" : "ipv4", local.getPort());
        }
        return local;
    }

    public List<InetSocketAddress> boundAddresses() {
        return List.copyOf(bound);
    }

    /**
     * Looks at every TLS listener's files now rather than at the next periodic check (SIGHUP after a
     * certbot renewal); on the watch thread, which owns the certificates' last-seen state.
     */
    public void checkCertificatesNow() {
        if (certificateWatch != null) {
            certificateWatch.execute(() -> tlsListeners.forEach(l -> l.certificate().checkForChanges()));
        }
    }

    /** The bound TLS listeners, for certificate expiry in /metrics. */
    public List<TlsListener> tlsListeners() {
        return List.copyOf(tlsListeners);
    }

    /** The ports of bound listeners whose socket is no longer open (empty while all listen). */
    public List<Integer> closedListeners() {
        List<Integer> closed = new ArrayList<>();
        List<InetSocketAddress> ports = List.copyOf(bound);
        List<Channel> open = List.copyOf(channels);
        for (int i = 0; i < open.size() && i < ports.size(); i++) {
            if (!open.get(i).isActive()) {
                closed.add(ports.get(i).getPort());
            }
        }
        return closed;
    }

    @Override
    public void close() {
        budget.close();
        if (certificateWatch != null) {
            certificateWatch.shutdownNow();
        }
        for (Channel ch : channels) {
            ch.close().syncUninterruptibly();
        }
        channels.clear();
        if (httpWork != null) {
            httpWork.close();
        }
    }

    /** A listener could not be bound, typically because the port is in use. */
    public static final class BindFailedException extends RuntimeException {
        private final int port;

        BindFailedException(int port, Throwable cause) {
            super("cannot listen on port " + port + ": " + cause.getMessage(), cause);
            this.port = port;
        }

        public int port() {
            return port;
        }
    }
}
