package io.vane.it.ops;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What systemd listens on for sd_notify: a Unix datagram socket bound to a path. Every datagram it
 * receives is kept, in order, as the text it carried.
 */
final class NotifySocket implements AutoCloseable {
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final Channel channel;
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    final Path path;

    NotifySocket(Path path) {
        this.path = path;
        channel = new Bootstrap().group(loop).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        received.add(packet.content().toString(StandardCharsets.UTF_8));
                    }
                }).bind(new DomainSocketAddress(path.toString())).syncUninterruptibly().channel();
    }

    /** The next datagram with a line starting with {@code line}, skipping others; null on timeout. */
    synchronized String await(String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String d = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            if (d == null) {
                return null;
            }
            all.add(d);
            if (d.lines().anyMatch(l -> l.startsWith(line))) {
                return d;
            }
        }
    }

    /** The datagrams that arrived and nobody has looked at yet, taken now without waiting. */
    synchronized List<String> drain() {
        List<String> now = new ArrayList<>();
        received.drainTo(now);
        all.addAll(now);
        return now;
    }

    /** Every datagram {@link #await} has looked at, for failure messages. */
    synchronized List<String> seen() {
        return List.copyOf(all);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
