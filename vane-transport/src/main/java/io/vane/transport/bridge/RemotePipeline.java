package io.vane.transport.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.vane.broker.bridge.BridgeAddress;
import io.vane.broker.bridge.RemoteChannel;
import io.vane.broker.bridge.RemoteEvents;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.codec.MqttDecoder;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.MalformedPacket;
import io.vane.protocol.packet.MqttPacket;
import java.net.URI;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One bridge connection's pipeline: TLS (with the host name checked unless {@code bridge_insecure}),
 * the WebSocket client handshake for {@code ws://} and {@code wss://} addresses, MQTT framing read with a
 * client-side decoder, and the handler that is the bridge's {@link RemoteChannel}.
 */
final class RemotePipeline extends ChannelInitializer<SocketChannel> {
    private final BridgeAddress address;
    private final SslContext ssl;
    private final boolean hostCheck;
    private final int maxPacketSize;
    private final RemoteEvents events;

    RemotePipeline(BridgeAddress address, SslContext ssl, boolean hostCheck, int maxPacketSize, RemoteEvents events) {
        this.address = address;
        this.ssl = ssl;
        this.hostCheck = hostCheck;
        this.maxPacketSize = maxPacketSize;
        this.events = events;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        Link link = new Link(ch, events, maxPacketSize);
        if (ssl != null) {
            SSLEngine engine = ssl.newEngine(ch.alloc(), address.host(), address.port());
            if (hostCheck) {
                SSLParameters params = engine.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(params);
            }
            p.addLast("tls", new SslHandler(engine));
        }
        if (address.isWebSocket()) {
            URI uri = URI.create((address.secureWebSocket() ? "wss://" : "ws://") + hostPort() + address.webSocketPath());
            p.addLast(new HttpClientCodec());
            p.addLast(new HttpObjectAggregator(8192));
            p.addLast(new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(uri,
                    WebSocketVersion.V13, "mqtt", false, new DefaultHttpHeaders(), maxPacketSize + 16)));
            p.addLast(new FramesToBytes());
        }
        p.addLast("mqtt", link.decoder);
        p.addLast("bridge", link);
    }

    private String hostPort() {
        String h = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
        return h + ":" + address.port();
    }

    /** WebSocket binary frames in, plain bytes up; bytes written down, binary frames out. */
    private static final class FramesToBytes extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof BinaryWebSocketFrame f) {
                ctx.fireChannelRead(f.content());
            } else if (msg instanceof WebSocketFrame f) {
                f.release(); // text, ping and pong frames carry no MQTT
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg instanceof ByteBuf b ? new BinaryWebSocketFrame(b) : msg, promise);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ctx.pipeline().get(Link.class).up(ctx);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Bytes to packets, with the version the bridge's CONNECT fixed. */
    private static final class Decoder extends ByteToMessageDecoder {
        final MqttDecoder decoder;
        private boolean failed;

        Decoder(int maxPacketSize) {
            this.decoder = new MqttDecoder(maxPacketSize);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (failed) {
                in.skipBytes(in.readableBytes());
                return;
            }
            DecodeResult result = decoder.decode(in);
            if (result instanceof MalformedPacket m) {
                failed = true;
                in.skipBytes(in.readableBytes());
                ctx.close();
                ctx.pipeline().get(Link.class).closeReason = "the remote broker sent a malformed " + m.type() + " ("
                        + m.message() + ")";
            } else if (result != null) {
                out.add(result);
            }
        }
    }

    /** The bridge's side of the connection. Event loop only. */
    private final class Link extends ChannelDuplexHandler implements RemoteChannel {
        final Decoder decoder;
        private final Channel channel;
        private final RemoteEvents events;
        private MqttVersion version;
        private boolean flushPending;
        private boolean isUp;
        private boolean closedTold;
        String closeReason;

        Link(Channel channel, RemoteEvents events, int maxPacketSize) {
            this.channel = channel;
            this.events = events;
            this.decoder = new Decoder(maxPacketSize);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (ssl != null) {
                ctx.pipeline().get(SslHandler.class).handshakeFuture().addListener(f -> {
                    if (f.isSuccess() && !address.isWebSocket()) {
                        up(ctx);
                    } else if (!f.isSuccess()) {
                        closeReason = "TLS handshake failed: " + NettyRemoteConnector.describe(f.cause());
                        ctx.close();
                    }
                });
            } else if (!address.isWebSocket()) {
                up(ctx);
            }
            ctx.fireChannelActive();
        }

        void up(ChannelHandlerContext ctx) {
            if (!isUp && channel.isActive()) {
                isUp = true;
                events.connected(this);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof MqttPacket packet) {
                events.received(packet);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (channel.isWritable()) {
                events.writable();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (closeReason == null) {
                closeReason = NettyRemoteConnector.describe(cause);
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!closedTold) {
                closedTold = true;
                events.closed(closeReason != null ? closeReason : "connection closed by the remote broker");
            }
        }

        @Override
        public void version(MqttVersion v) {
            this.version = v;
            decoder.decoder.setVersion(v);
        }

        @Override
        public void write(MqttPacket packet) {
            if (!channel.isActive()) {
                if (packet instanceof io.vane.protocol.packet.Publish p) {
                    p.payload().release();
                }
                return;
            }
            channel.write(MqttEncoder.encode(channel.alloc(), packet, version));
            if (!flushPending) {
                flushPending = true;
                channel.eventLoop().execute(() -> {
                    flushPending = false;
                    channel.flush();
                });
            }
        }

        @Override
        public boolean isWritable() {
            return channel.isWritable();
        }

        @Override
        public void close() {
            if (closeReason == null) {
                closeReason = "closed by the bridge";
            }
            channel.close();
        }
    }
}
