package io.vane.app.service;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the service is doing (sd_notify(3)): one datagram of {@code KEY=VALUE} lines to the
 * Unix socket in {@code $NOTIFY_SOCKET}. Java 17's DatagramChannel has no Unix domain sockets, so the
 * datagram goes through Netty's epoll transport, which Vane already ships (decision 0013). Without
 * NOTIFY_SOCKET (not started by systemd), every call does nothing.
 *
 * <p>Thread-safe: messages are sent from one thread of its own, in the order they were given.
 */
public final class SystemdNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vane.systemd");
    /** Does nothing: not started by systemd. */
    public static final SystemdNotifier NONE = new SystemdNotifier(null, null, null);

    private final DomainSocketAddress socket;
    private final EventLoopGroup loop;
    /** Sends one message at a time, in order; callers never wait for systemd. */
    private final ExecutorService sender;

    private SystemdNotifier(DomainSocketAddress socket, EventLoopGroup loop, ExecutorService sender) {
        this.socket = socket;
        this.loop = loop;
        this.sender = sender;
    }

    /** For the socket in {@code env}'s NOTIFY_SOCKET, or {@link #NONE} when it is unset or cannot be used. */
    public static SystemdNotifier fromEnvironment(Map<String, String> env) {
        String path = env.get("NOTIFY_SOCKET");
        if (path == null || path.isEmpty()) {
            return NONE;
        }
        if (!Epoll.isAvailable()) {
            LOG.warn("NOTIFY_SOCKET is set but Netty's epoll transport is not available here ({}); systemd is"
                    + " not told when Vane is ready. Use Type=simple in the unit.", Epoll.unavailabilityCause());
            return NONE;
        }
        // "@name" is an abstract socket: its name starts with a zero byte (unix(7)).
        String address = path.startsWith("@") ? "\0" + path.substring(1) : path;
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vane-systemd-io", true),
                EpollIoHandler.newFactory());
        ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vane-systemd");
            t.setDaemon(true);
            return t;
        });
        return new SystemdNotifier(new DomainSocketAddress(address), loop, sender);
    }

    /** Whether messages go anywhere. */
    public boolean isActive() {
        return sender != null;
    }

    /**
     * Sends the lines as one datagram, e.g. {@code "READY=1", "STATUS=Listening on 1883"}, soon and in
     * order; a failure is logged, never thrown: the broker runs on whatever systemd hears.
     */
    public void send(String... lines) {
        submit(lines);
    }

    /** Sends and waits (up to 2 s) until the datagram is handed to the kernel: before the process exits. */
    public void sendAndWait(String... lines) {
        Future<?> sent = submit(lines);
        if (sent == null) {
            return;
        }
        try {
            sent.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("sd_notify did not finish", e);
        }
    }

    private Future<?> submit(String... lines) {
        if (sender == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            b.append(line.replace('\n', ' ')).append('\n');
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        try {
            return sender.submit(() -> deliver(bytes, lines[0]));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return null;
        }
    }

    /**
     * A socket per message, connected to NOTIFY_SOCKET, as libsystemd does: systemd may have made the
     * socket anew since the last one (daemon-reexec), which a kept connection would not follow.
     */
    private void deliver(byte[] bytes, String first) {
        Channel ch = null;
        try {
            ch = new Bootstrap().group(loop).channel(EpollDomainDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(socket).syncUninterruptibly().channel();
            ch.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
        } catch (RuntimeException e) {
            LOG.warn("Cannot tell systemd '{}' through {}: {}", first, socket.path(), e.toString());
        } finally {
            if (ch != null) {
                ch.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.shutdown();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
