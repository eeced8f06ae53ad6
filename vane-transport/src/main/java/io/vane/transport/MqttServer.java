package io.vane.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.vane.broker.Broker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the configured listeners and connects each accepted socket to the broker. */
public final class MqttServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vane.transport");
    /** Outbound bytes per connection above which QoS 0 messages are dropped for that client. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);

    private final Broker broker;
    private final EventLoops loops;
    private final List<Channel> channels = new ArrayList<>();
    private final List<InetSocketAddress> bound = new ArrayList<>();

    public MqttServer(Broker broker, EventLoops loops) {
        this.broker = broker;
        this.loops = loops;
    }

    /** Binds one listener; throws (with the port in the message) when it cannot. */
    public InetSocketAddress bind(ListenerConfig listener) {
        if (listener.protocol() != ListenerConfig.Protocol.MQTT) {
            throw new IllegalArgumentException("protocol " + listener.protocol().configWord()
                    + " is not supported yet on port " + listener.port());
        }
        int maxPacket = broker.settings().effectiveMaxPacketSize();
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
                        int port = ch.localAddress().getPort();
                        ch.pipeline().addLast("decoder", new MqttFrameDecoder(maxPacket, broker.stats()));
                        ch.pipeline().addLast("mqtt", new MqttConnectionHandler(broker, port));
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
        LOG.info("Opening {} listen socket on port {}.", local.getAddress().getAddress().length == 16 ? "ipv6" : "ipv4",
                local.getPort());
        return local;
    }

    public List<InetSocketAddress> boundAddresses() {
        return List.copyOf(bound);
    }

    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().syncUninterruptibly();
        }
        channels.clear();
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
