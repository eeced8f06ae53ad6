package io.vane.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.MqttPacket;
import io.vane.protocol.packet.Publish;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5.0 sets no order for properties (section 2.2.2.2), but byte-comparing tools and Mosquitto's own
 * test suite expect Mosquitto's: written here in that order, and read back whatever the order.
 */
class PropertyOrderTest {

    private static String hex(MqttPacket p) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, MqttVersion.V5);
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    @Test
    void connackIsWrittenInMosquittosOrder() {
        Properties p = Properties.builder().receiveMaximum(20).maximumQos(1).retainAvailable(0)
                .maximumPacketSize(1000L).topicAliasMaximum(10).serverKeepAlive(60)
                .assignedClientIdentifier("a").build();
        // Topic Alias Maximum, Server Keep Alive, Assigned Client Identifier (added while CONNECT is handled),
        // then Retain Available, Maximum Packet Size, Receive Maximum, Maximum QoS (added by the sender).
        assertThat(hex(new ConnAck(false, 0, p))).isEqualTo("2019" + "0000" + "16"
                + "22000a" + "13003c" + "12000161" + "2500" + "27000003e8" + "210014" + "2401");
    }

    @Test
    void publishKeepsThePublishersPropertiesFirstThenWhatTheBrokerAdds() {
        Properties p = Properties.builder().addSubscriptionIdentifier(3).topicAlias(1).messageExpiryInterval(9L)
                .contentType("t").payloadFormatIndicator(1).addUserProperty("k", "v").build();
        String h = hex(new Publish("a", 0, false, false, 0, p, Unpooled.EMPTY_BUFFER));
        // PFI, Content Type, User Property, then Message Expiry Interval, Topic Alias, Subscription Identifier.
        assertThat(h).endsWith("0101" + "03000174" + "2600016b000176" + "0200000009" + "230001" + "0b03");
    }

    @Test
    void theOrderDoesNotChangeWhatIsRead() {
        Properties p = Properties.builder().receiveMaximum(20).topicAliasMaximum(10).reasonString("r")
                .addUserProperty("x", "y").build();
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, new ConnAck(true, 0, p), MqttVersion.V5);
        MqttDecoder d = new MqttDecoder(Integer.MAX_VALUE);
        d.setVersion(MqttVersion.V5);
        assertThat(((ConnAck) d.decode(b)).properties()).isEqualTo(p);
    }
}
