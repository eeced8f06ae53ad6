package io.vane.protocol.packet;

import io.vane.protocol.Properties;

/** The Will Message a CONNECT carries; its properties are the 5.0 will properties (section 3.1.3.2). */
public record Will(String topic, byte[] payload, int qos, boolean retain, Properties properties) {
}
