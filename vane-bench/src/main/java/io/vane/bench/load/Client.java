package io.vane.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT connection of the generator: it connects, optionally subscribes, acknowledges what it
 * receives, and lets a {@link Publisher} drive it. Owned by its channel's event loop.
 */
final class Client extends ChannelInboundHandlerAdapter implements FrameReader.Sink {
    static final int KEEP_ALIVE_SECONDS = 60;

    private final String clientId;
    private final String filter;
    private final int subscribeQos;
    private final Deliveries deliveries;
    private final boolean websocket;
    private final CompletableFuture<Client> ready = new CompletableFuture<>();
    private volatile boolean counted = true;
    private Publisher publisher;
    private Channel channel;
    private boolean writePending;

    /**
     * @param filter topic filter to subscribe to after CONNACK, or null for none
     * @param deliveries where received PUBLISHes are counted; null for a client that only connects
     */
    /** Whether this client asks for a persistent session (clean session 0): the durable benchmark's subscribers. */
    private boolean persistent;

    /** Asks for a persistent session at CONNECT; call before connecting. */
    Client persistent(boolean value) {
        persistent = value;
        return this;
    }

    Client(String clientId, String filter, int subscribeQos, Deliveries deliveries, boolean websocket) {
        this.clientId = clientId;
        this.filter = filter;
        this.subscribeQos = subscribeQos;
        this.deliveries = deliveries;
        this.websocket = websocket;
    }

    /** Completes after CONNACK, and SUBACK when subscribing; fails when the broker refuses or closes. */
    CompletableFuture<Client> ready() {
        return ready;
    }

    Channel channel() {
        return channel;
    }

    void attach(Publisher p) {
        this.publisher = p;
    }

    /** Leaves this client out of flow control and loss (the slow subscriber). */
    void uncount() {
        counted = false;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (!websocket) {
            sendConnect(ctx);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            sendConnect(ctx);
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            ready.completeExceptionally(new IOException(clientId + ": WebSocket handshake timed out"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void sendConnect(ChannelHandlerContext ctx) {
        ctx.channel().writeAndFlush(MqttWire.connect(ctx.alloc(), clientId, KEEP_ALIVE_SECONDS, !persistent));
        ctx.executor().scheduleAtFixedRate(() -> {
            if (channel.isActive()) {
                channel.writeAndFlush(MqttWire.pingreq(channel.alloc()));
            }
        }, KEEP_ALIVE_SECONDS / 2, KEEP_ALIVE_SECONDS / 2, TimeUnit.SECONDS);
    }

    @Override
    public void packet(int header, ByteBuf buf, int offset, int length) {
        switch (header >>> 4) {
            case MqttWire.PUBLISH -> publishReceived(header, buf, offset);
            case MqttWire.CONNACK -> {
                int code = buf.getUnsignedByte(offset + 1);
                if (code != 0) {
                    ready.completeExceptionally(new IOException(clientId + ": CONNACK return code " + code));
                    channel.close();
                } else if (filter != null) {
                    write(MqttWire.subscribe(channel.alloc(), 1, filter, subscribeQos));
                } else {
                    ready.complete(this);
                }
            }
            case MqttWire.SUBACK -> {
                int granted = buf.getUnsignedByte(offset + 2);
                if (granted == 0x80) {
                    ready.completeExceptionally(new IOException(clientId + ": SUBSCRIBE " + filter + " refused"));
                } else {
                    ready.complete(this);
                }
            }
            case MqttWire.PUBACK -> publisher.acknowledged(buf.getUnsignedShort(offset), true);
            case MqttWire.PUBREC -> {
                int id = buf.getUnsignedShort(offset);
                publisher.acknowledged(id, false);
                write(MqttWire.ack(channel.alloc(), MqttWire.PUBREL, id));
            }
            case MqttWire.PUBCOMP -> publisher.completed(buf.getUnsignedShort(offset));
            case MqttWire.PUBREL -> write(MqttWire.ack(channel.alloc(), MqttWire.PUBCOMP, buf.getUnsignedShort(offset)));
            default -> {
                // PINGRESP and anything else: nothing to do.
            }
        }
    }

    private void publishReceived(int header, ByteBuf buf, int offset) {
        int qos = (header >>> 1) & 3;
        int p = offset + 2 + buf.getUnsignedShort(offset);
        int packetId = 0;
        if (qos > 0) {
            packetId = buf.getUnsignedShort(p);
            p += 2;
        }
        deliveries.received(buf.getInt(p), buf.getInt(p + 4), buf.getLong(p + 8), counted);
        if (qos == 1) {
            write(MqttWire.ack(channel.alloc(), MqttWire.PUBACK, packetId));
        } else if (qos == 2) {
            write(MqttWire.ack(channel.alloc(), MqttWire.PUBREC, packetId));
        }
    }

    private void write(ByteBuf b) {
        channel.write(b, channel.voidPromise());
        writePending = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (writePending) {
            writePending = false;
            channel.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready.completeExceptionally(new IOException(clientId + ": connection closed by the broker"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ready.completeExceptionally(cause);
        ctx.close();
    }
}
