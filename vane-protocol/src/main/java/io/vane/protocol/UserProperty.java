package io.vane.protocol;

/** An MQTT 5.0 user property: a name/value pair that may repeat (section 3.3.2.3.7). */
public record UserProperty(String name, String value) {
}
