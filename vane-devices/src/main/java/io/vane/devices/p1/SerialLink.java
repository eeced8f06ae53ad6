package io.vane.devices.p1;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.InputStream;

/**
 * A meter on a serial port (a P1 cable on /dev/ttyUSB0, a Raspberry Pi's UART), through jSerialComm,
 * which ships native code for x86 and ARM Linux. The P1 line only sends; nothing is written to it.
 * Without a given speed, the two P1 speeds are tried in turn: 115200 8N1 (DSMR 4/5, e-MUCS) first,
 * then 9600 7E1 (DSMR 2.2 and 3.0).
 */
public final class SerialLink implements P1Link {
    private final String path;
    private final boolean detect;
    private volatile int baud;
    private volatile String framing;
    private volatile SerialPort port;

    public SerialLink(P1Endpoint endpoint) {
        this.path = endpoint.path();
        this.detect = endpoint.baud() == 0;
        this.baud = detect ? 115200 : endpoint.baud();
        this.framing = detect ? "8N1" : endpoint.framing();
    }

    @Override
    public InputStream open() throws IOException {
        SerialPort p = SerialPort.getCommPort(path);
        int parity = switch (framing.charAt(1)) {
            case 'E' -> SerialPort.EVEN_PARITY;
            case 'O' -> SerialPort.ODD_PARITY;
            default -> SerialPort.NO_PARITY;
        };
        int stopBits = framing.charAt(2) == '2' ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT;
        p.setComPortParameters(baud, framing.charAt(0) - '0', stopBits, parity);
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, TcpLink.READ_TIMEOUT_MILLIS, 0);
        if (!p.openPort()) {
            throw new IOException("cannot open " + path + " (error " + p.getLastErrorCode() + "; does it exist,"
                    + " and may this user read it? On Debian add the user to the dialout group)");
        }
        port = p;
        return p.getInputStream();
    }

    @Override
    public boolean tryOtherSpeed() {
        if (!detect) {
            return false;
        }
        boolean fast = baud == 115200;
        baud = fast ? 9600 : 115200;
        framing = fast ? "7E1" : "8N1";
        return true;
    }

    @Override
    public String describe() {
        return path + " at " + baud + " " + framing;
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
