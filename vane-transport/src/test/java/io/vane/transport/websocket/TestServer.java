package io.vane.transport.websocket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.vane.broker.Broker;
import io.vane.transport.ClientAddress;
import io.vane.transport.EventLoops;
import io.vane.transport.ListenerConfig;
import io.vane.transport.http.HttpEndpoints;
import io.vane.transport.http.StaticContent;
import io.vane.transport.http.StatusReport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A websockets listener whose MQTT part is replaced by an echo: what the adapter hands on as bytes is
 * recorded and written back, so the WebSocket and HTTP side can be tested without the MQTT codec.
 */
final class TestServer implements AutoCloseable {
    final EventLoops loops = new EventLoops(1);
    final Broker broker = Broker.withDefaults();
    final Channel server;
    final int port;
    /** Bytes each echo connection received, in order, per channel; and its client address. */
    final BlockingQueue<String> addresses = new LinkedBlockingQueue<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    TestServer(ListenerConfig listener) {
        StatusReport status = new StatusReport(broker, "test-1.2.3", System::currentTimeMillis,
                () -> List.of(new StatusReport.Listener(listener.port(), "websockets")));
        HttpEndpoints http = new HttpEndpoints(new StaticContent(listener.httpDir(), getClass().getClassLoader()),
                status);
        int maxFrame = listener.maxFrameSize() == 0 ? 65536 : listener.maxFrameSize();
        WebSocketPipeline pipeline = new WebSocketPipeline(listener, maxFrame, http,
                p -> p.addLast("echo", new Echo()));
        server = new ServerBootstrap().group(loops.boss(), loops.workers()).channel(loops.serverChannelClass())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(pipeline)
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            addresses.add(ClientAddress.of(ctx.channel()));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            synchronized (received) {
                received.writeBytes(ByteBufUtil.getBytes(b));
            }
            if (b.readableBytes() == 2 && b.getByte(0) == (byte) 0xE0) {
                // A DISCONNECT: the server ends the connection, as the broker would.
                b.release();
                ctx.close();
                return;
            }
            ctx.writeAndFlush(b);
        }
    }

    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        loops.close();
        broker.close();
    }
}
