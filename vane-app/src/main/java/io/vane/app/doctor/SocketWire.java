package io.vane.app.doctor;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** MQTT over a plain TCP socket or over TLS (mqtts), blocking, with a timeout on every read. */
final class SocketWire implements Wire {
    private final Socket socket;
    private final byte[] buffer = new byte[8192];

    private SocketWire(Socket socket) {
        this.socket = socket;
    }

    /**
     * Connects to {@code host:port}; with {@code tls}, completes the TLS handshake too, checking the
     * certificate's name against {@code host} when {@code verifyHost} is set.
     */
    static SocketWire open(String host, int port, SSLContext tls, boolean verifyHost, Duration timeout)
            throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            if (tls == null) {
                return new SocketWire(plain);
            }
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            if (verifyHost) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
            }
            s.setSoTimeout((int) timeout.toMillis());
            s.startHandshake();
            return new SocketWire(s);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    @Override
    public byte[] read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            int n = socket.getInputStream().read(buffer);
            if (n < 0) {
                throw new EOFException("the broker closed the connection");
            }
            return Arrays.copyOf(buffer, n);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a probe connection: nothing to report
        }
    }
}
