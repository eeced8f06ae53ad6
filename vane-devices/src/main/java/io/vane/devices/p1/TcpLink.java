package io.vane.devices.p1;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A P1-to-Ethernet converter (EZL70A, ser2net, an ESP8266 dongle): the telegrams on a TCP port. */
public final class TcpLink implements P1Link {
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
