package io.vane.protocol.packet;

import io.vane.protocol.PacketType;

/** One MQTT control packet, decoded and validated. Each type is one immutable record. */
public sealed interface MqttPacket extends DecodeResult
        permits Connect, ConnAck, Publish, PubAck, PubRec, PubRel, PubComp, Subscribe, SubAck,
        Unsubscribe, UnsubAck, PingReq, PingResp, Disconnect, Auth {

    PacketType type();
}
