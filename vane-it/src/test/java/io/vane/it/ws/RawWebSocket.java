package io.vane.it.ws;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A byte-level WebSocket client for tests: writes exactly the frames it is told to (masked, as a client
 * must, unless told otherwise) and reads frames one by one, so tests can send what real clients never do.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int CONTINUATION = 0, TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10;

    /** One frame read from the server. */
    public record Frame(int opcode, boolean fin, byte[] payload) {
        public int closeStatus() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    /** The status line and headers of the server's answer to the upgrade request. */
    public record Response(int status, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private Response response;

    public RawWebSocket(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Opens a connection and sends an upgrade request with the given extra headers (null values skipped). */
    public static RawWebSocket upgrade(int port, String path, Map<String, String> extraHeaders) throws IOException {
        RawWebSocket ws = new RawWebSocket("127.0.0.1", port);
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: " + extraHeaders.getOrDefault("Sec-WebSocket-Version", "13") + "\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n");
        extraHeaders.forEach((k, v) -> {
            if (v != null && !k.equals("Sec-WebSocket-Version")) {
                req.append(k).append(": ").append(v).append("\r\n");
            }
        });
        req.append("\r\n");
        ws.writeRaw(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        ws.response = ws.readResponseHead();
        return ws;
    }

    public static RawWebSocket upgrade(int port, String subprotocol) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Sec-WebSocket-Protocol", subprotocol);
        return upgrade(port, "/mqtt", h);
    }

    public Response response() {
        return response;
    }

    public Socket socket() {
        return socket;
    }

    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads an HTTP status line and headers, up to the empty line. */
    public Response readResponseHead() throws IOException {
        String status = readLine();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed after: " + b);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    public byte[] readBytes(int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    public void send(int opcode, boolean fin, byte[] payload) throws IOException {
        writeRaw(frame(opcode, fin, payload, true));
    }

    public void sendBinary(byte[] payload) throws IOException {
        send(BINARY, true, payload);
    }

    /** One frame's bytes; {@code masked} false makes a frame no client may send. */
    public static byte[] frame(int opcode, boolean fin, byte[] payload, boolean masked) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            b.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            b.write(maskBit | 126);
            b.write(payload.length >> 8);
            b.write(payload.length);
        } else {
            b.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(mask);
            b.writeBytes(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            b.write(payload[i] ^ mask[i & 3]);
        }
        return b.toByteArray();
    }

    /** Reads one frame from the server (never masked). */
    public Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frames must not be masked");
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
    }

    /** True when the server closed the TCP connection (read returns end of stream) within the timeout. */
    public boolean closedByServer() {
        try {
            while (in.read() >= 0) {
                // skip anything left, e.g. a close frame already checked
            }
            return true;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
