package io.vane.devices.line;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A device on a serial port (a P1 cable on /dev/ttyUSB0, an OpenTherm gateway's USB adapter, a Raspberry
 * Pi's UART), through jSerialComm, which ships native code for x86 and ARM Linux. With more than one
 * {@link Speed} the speeds are tried in turn ({@link #tryOtherSpeed()}), for P1 meters of unknown version.
 */
public final class SerialLink implements DeviceLink {
    /** A baud rate and framing such as {@code 8N1} or {@code 7E1}. */
    public record Speed(int baud, String framing) {
        @Override
        public String toString() {
            return baud + " " + framing;
        }
    }

    private final String path;
    private final List<Speed> speeds;
    private volatile int current;
    private volatile SerialPort port;

    /** @param speeds the speed to open at, or several to try in turn */
    public SerialLink(String path, List<Speed> speeds) {
        if (speeds.isEmpty()) {
            throw new IllegalArgumentException("a serial link needs a speed");
        }
        this.path = path;
        this.speeds = List.copyOf(speeds);
    }

    @Override
    public InputStream open() throws IOException {
        Speed speed = speeds.get(current);
        String framing = speed.framing();
        SerialPort p = SerialPort.getCommPort(path);
        int parity = switch (framing.charAt(1)) {
            case 'E' -> SerialPort.EVEN_PARITY;
            case 'O' -> SerialPort.ODD_PARITY;
            default -> SerialPort.NO_PARITY;
        };
        int stopBits = framing.charAt(2) == '2' ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT;
        p.setComPortParameters(speed.baud(), framing.charAt(0) - '0', stopBits, parity);
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                TcpLink.READ_TIMEOUT_MILLIS, TcpLink.READ_TIMEOUT_MILLIS);
        if (!p.openPort()) {
            throw new IOException("cannot open " + path + " (error " + p.getLastErrorCode() + "; does it exist,"
                    + " and may this user read it? On Debian add the user to the dialout group)");
        }
        port = p;
        return p.getInputStream();
    }

    @Override
    public OutputStream output() throws IOException {
        SerialPort p = port;
        if (p == null) {
            throw new IOException(path + " is not open");
        }
        return p.getOutputStream();
    }

    @Override
    public boolean tryOtherSpeed() {
        if (speeds.size() < 2) {
            return false;
        }
        current = (current + 1) % speeds.size();
        return true;
    }

    @Override
    public String describe() {
        return path + " at " + speeds.get(current);
    }

    @Override
    public void close() {
        SerialPort p = port;
        port = null;
        if (p != null) {
            p.closePort();
        }
    }
}
