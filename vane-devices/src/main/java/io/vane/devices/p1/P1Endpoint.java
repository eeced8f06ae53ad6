package io.vane.devices.p1;

/**
 * Where a meter is read, from a {@code dsmr_source} line: {@code serial:/dev/ttyUSB0[,BAUD[,FRAMING]]}
 * or {@code tcp:HOST:PORT} (a P1-to-Ethernet converter, ser2net, an ESP8266 dongle).
 *
 * @param path the serial device, or null for TCP
 * @param baud the baud rate, or 0 to detect it (115200 8N1 for DSMR 4/5 and e-MUCS, 9600 7E1 for DSMR 2.2/3)
 * @param framing {@code 8N1} or {@code 7E1}, or null to detect it with the baud rate
 * @param host the converter's host, or null for serial
 * @param port the converter's TCP port
 */
public record P1Endpoint(String path, int baud, String framing, String host, int port) {

    /** An example for error messages. */
    public static final String EXAMPLE = "serial:/dev/ttyUSB0 (or serial:/dev/ttyUSB0,115200,8N1, or tcp:192.168.1.40:2001)";

    public boolean serial() {
        return path != null;
    }

    /**
     * Parses the endpoint text; throws IllegalArgumentException with a message saying what to write.
     */
    public static P1Endpoint parse(String text) {
        if (text.startsWith("serial:")) {
            String[] parts = text.substring(7).split(",", -1);
            if (parts[0].isEmpty() || parts.length > 3) {
                throw new IllegalArgumentException("'" + text + "' is not serial:DEVICE[,BAUD[,FRAMING]]");
            }
            int baud = 0;
            if (parts.length > 1) {
                try {
                    baud = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    baud = -1;
                }
                if (baud < 300 || baud > 4_000_000) {
                    throw new IllegalArgumentException("baud rate '" + parts[1] + "' is not a number from 300 to"
                            + " 4000000 (P1 meters use 115200 or 9600)");
                }
            }
            String framing = parts.length > 2 ? parts[2].toUpperCase(java.util.Locale.ROOT) : null;
            if (framing != null && !framing.matches("[5-8][NEO][12]")) {
                throw new IllegalArgumentException("framing '" + parts[2] + "' is not like 8N1 or 7E1");
            }
            if (framing == null && baud != 0) {
                framing = baud == 9600 ? "7E1" : "8N1";
            }
            return new P1Endpoint(parts[0], baud, framing, null, 0);
        }
        if (text.startsWith("tcp:")) {
            String rest = text.substring(4);
            int colon = rest.lastIndexOf(':');
            String host = colon > 0 ? rest.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = -1;
            try {
                port = colon > 0 ? Integer.parseInt(rest.substring(colon + 1)) : -1;
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + text + "' is not tcp:HOST:PORT");
            }
            return new P1Endpoint(null, 0, null, host, port);
        }
        throw new IllegalArgumentException("'" + text + "' names neither a serial port nor a TCP converter");
    }

    @Override
    public String toString() {
        if (serial()) {
            return path + (baud == 0 ? " (baud rate detected)" : " at " + baud + " " + framing);
        }
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
