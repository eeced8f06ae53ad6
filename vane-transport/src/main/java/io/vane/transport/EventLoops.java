package io.vane.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Netty event loops: epoll on Linux when its native library loads, NIO otherwise. */
public final class EventLoops implements AutoCloseable {
    private final boolean epoll;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final int workerCount;

    public EventLoops(int workerThreads) {
        this.epoll = Epoll.isAvailable();
        this.workerCount = workerThreads;
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vane-accept", true), factory);
        this.workers = new MultiThreadIoEventLoopGroup(workerThreads, new DefaultThreadFactory("vane-io", true),
                factory);
    }

    /** The configured number of event loops, or with 0 one per core, as the event loops never block. */
    public static EventLoops forThisMachine(int configured) {
        return new EventLoops(configured > 0 ? configured : defaultWorkers(Runtime.getRuntime().availableProcessors()));
    }

    /** One event loop per core. */
    public static int defaultWorkers(int cores) {
        return Math.max(1, cores);
    }

    public int workerCount() {
        return workerCount;
    }

    public boolean isEpoll() {
        return epoll;
    }

    public EventLoopGroup boss() {
        return boss;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    @Override
    public void close() {
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
