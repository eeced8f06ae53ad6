package io.vane.app.doctor;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * MQTT over a WebSocket, as a browser page opens it: subprotocol {@code mqtt}, binary frames. Uses the
 * JDK's own WebSocket client, so ws and wss need nothing beyond Java 17; for wss the JDK checks the
 * certificate and its host name, as a browser would.
 */
final class WebSocketWire implements Wire {
    private static final byte[] CLOSED = new byte[0];

    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private WebSocket socket;

    private WebSocketWire() {
    }

    /** Opens {@code url} (ws:// or wss://), trusting {@code tls}'s certificates for wss. */
    static WebSocketWire open(URI url, SSLContext tls, Duration timeout) throws IOException {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout);
        if (tls != null) {
            b.sslContext(tls);
        }
        WebSocketWire wire = new WebSocketWire();
        try {
            wire.socket = b.build().newWebSocketBuilder().subprotocols("mqtt").connectTimeout(timeout)
                    .buildAsync(url, wire.new Receiver()).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return wire;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException("no WebSocket handshake within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        try {
            socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("WebSocket send failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public byte[] read(Duration timeout) throws IOException {
        try {
            byte[] b = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (b == CLOSED) {
                received.add(CLOSED); // later reads see the close too
                throw new EOFException("the broker closed the WebSocket");
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    /** Queues each binary frame's bytes; the MQTT decoder joins them into packets. */
    private final class Receiver implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            received.add(b);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            received.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            received.add(CLOSED);
        }
    }
}
