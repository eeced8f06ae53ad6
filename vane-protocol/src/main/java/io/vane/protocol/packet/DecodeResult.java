package io.vane.protocol.packet;

/** What the decoder makes of one complete packet's bytes: a packet, or the reason it is malformed. */
public sealed interface DecodeResult permits MqttPacket, MalformedPacket {
}
