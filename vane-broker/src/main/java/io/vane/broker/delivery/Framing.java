package io.vane.broker.delivery;

import io.netty.buffer.ByteBuf;

/**
 * How a transport wraps each encoded MQTT packet on its way to the socket (WebSocket binary frames);
 * implemented by the transport, known to the broker only as part of an {@link EncodingKey}. A fan-out
 * frames once per framing and shares the frame among every subscriber that uses it. Implementations
 * are stateless singletons, so identity is equality.
 */
public interface Framing {

    /** The packet inside one frame; takes ownership of {@code packet}. */
    ByteBuf frame(ByteBuf packet);

    /** The length of the header of a frame made by {@link #frame}, to count MQTT bytes only. */
    int headerLength(ByteBuf frame);
}
