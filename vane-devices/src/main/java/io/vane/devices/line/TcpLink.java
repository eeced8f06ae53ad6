package io.vane.devices.line;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A serial-to-Ethernet converter (EZL70A, ser2net, an ESP8266 dongle, OTGW-firmware's port 25238): the
 * device's line on a TCP port.
 */
public final class TcpLink implements DeviceLink {
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int READ_TIMEOUT_MILLIS = 1_000;

    private final String host;
    private final int port;
    private volatile Socket socket;

    public TcpLink(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public InputStream open() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            s.setKeepAlive(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        return s.getInputStream();
    }

    @Override
    public OutputStream output() throws IOException {
        Socket s = socket;
        if (s == null) {
            throw new IOException(describe() + " is not connected");
        }
        return s.getOutputStream();
    }

    @Override
    public String describe() {
        return host + ":" + port;
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
