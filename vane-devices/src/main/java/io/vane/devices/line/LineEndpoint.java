package io.vane.devices.line;

import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Where a device is read, from a source's config line: {@code serial:/dev/ttyUSB0[,BAUD[,FRAMING]]} or
 * {@code tcp:HOST:PORT} (a serial-to-Ethernet converter, ser2net, an ESP8266 dongle).
 *
 * @param path the serial device, or null for TCP
 * @param baud the baud rate, or 0 when not given (the source's default speeds apply)
 * @param framing {@code 8N1}, {@code 7E1} ..., or null with baud 0
 * @param host the converter's host, or null for serial
 * @param port the converter's TCP port
 */
public record LineEndpoint(String path, int baud, String framing, String host, int port) {

    public boolean serial() {
        return path != null;
    }

    /**
     * The link to open: the serial port at the given speed, or at {@code defaults} (tried in turn) when
     * the line named none; or the TCP connection.
     *
     */
    public DeviceLink link(List<SerialLink.Speed> defaults) {
        if (!serial()) {
            return new TcpLink(host, port);
        }
        if (baud == 0) {
            return new SerialLink(path, defaults);
        }
        return new SerialLink(path, List.of(new SerialLink.Speed(baud, framing)));
    }

    /**
     * Parses the endpoint text; throws IllegalArgumentException with a message saying what is wrong.
     *
     * @param framingFor the framing of a baud rate given without one (P1: 7E1 at 9600, else 8N1)
     */
    public static LineEndpoint parse(String text, IntFunction<String> framingFor) {
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
                            + " 4000000 (P1 meters use 115200 or 9600, OpenTherm gateways 9600)");
                }
            }
            String framing = parts.length > 2 ? parts[2].toUpperCase(Locale.ROOT) : null;
            if (framing != null && !framing.matches("[5-8][NEO][12]")) {
                throw new IllegalArgumentException("framing '" + parts[2] + "' is not like 8N1 or 7E1");
            }
            if (framing == null && baud != 0) {
                framing = framingFor.apply(baud);
            }
            return new LineEndpoint(parts[0], baud, framing, null, 0);
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
            return new LineEndpoint(null, 0, null, host, port);
        }
        throw new IllegalArgumentException("'" + text + "' names neither a serial port nor a TCP converter");
    }

    @Override
    public String toString() {
        if (serial()) {
            return path + (baud == 0 ? " (default speed)" : " at " + baud + " " + framing);
        }
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
