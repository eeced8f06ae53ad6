package io.vane.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vane.protocol.MqttVersion;
import io.vane.protocol.Properties;
import io.vane.protocol.codec.MqttDecoder;
import io.vane.protocol.codec.MqttEncoder;
import io.vane.protocol.packet.ConnAck;
import io.vane.protocol.packet.Connect;
import io.vane.protocol.packet.DecodeResult;
import io.vane.protocol.packet.MqttPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A byte-level MQTT client over a blocking socket: it sends exactly the bytes a test gives it (valid
 * packets through the codec, or hand-made broken ones) and reads whole packets back with a deadline.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final MqttDecoder decoder = new MqttDecoder(Integer.MAX_VALUE);
    private MqttVersion version = MqttVersion.V3_1_1;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        socket.setTcpNoDelay(true);
    }

    public static RawClient open(String host, int port) {
        try {
            return new RawClient(new Socket(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to " + host + ":" + port, e);
        }
    }

    /**
     * Connects with a small socket receive buffer, so the broker's writes back up as they do for a
     * reader on a slow link (the kernel sizes loopback buffers in megabytes otherwise).
     */
    public static RawClient openSlowReader(String host, int port, int receiveBufferBytes) {
        try {
            Socket s = new Socket();
            s.setReceiveBufferSize(receiveBufferBytes);
            s.connect(new java.net.InetSocketAddress(host, port), 5000);
            return new RawClient(s);
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to " + host + ":" + port, e);
        }
    }

    public static RawClient open(BrokerFixture broker) {
        return open(broker.host(), broker.port());
    }

    /** Sends CONNECT and returns the CONNACK. */
    public ConnAck connect(MqttVersion v, String clientId, boolean clean, int keepAlive, Properties props) {
        send(new Connect(v, clientId, clean, keepAlive, null, null, null, props));
        MqttPacket p = read(Duration.ofSeconds(5));
        if (!(p instanceof ConnAck ack)) {
            throw new AssertionError("expected CONNACK, got " + p);
        }
        return ack;
    }

    public ConnAck connect(MqttVersion v, String clientId) {
        return connect(v, clientId, true, 60, Properties.NONE);
    }

    /** Encodes and sends a packet; a CONNECT fixes the version used to read replies. */
    public RawClient send(MqttPacket packet) {
        if (packet instanceof Connect c) {
            version = c.version();
            decoder.setVersion(version);
        }
        ByteBuf buf = MqttEncoder.encode(ByteBufAllocator.DEFAULT, packet, version);
        try {
            return send(ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    /** Sends raw bytes, e.g. "30 03 00 01 23" as bytes. */
    public RawClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("send failed", e);
        }
    }

    public RawClient sendHex(String hex) {
        return send(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    /** Reads one whole packet's bytes; null on timeout or when the connection is closed. */
    public byte[] readRaw(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            int first = in.read();
            if (first < 0) {
                return null;
            }
            packet.write(first);
            // The packet has begun: the rest is on its way, so a short wait for the first byte must not
            // cut it in half (that would leave the stream mid-packet for the next read).
            socket.setSoTimeout((int) Math.max(10_000, timeout.toMillis()));
            int remaining = 0;
            for (int i = 0; i < 4; i++) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                packet.write(b);
                remaining |= (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            byte[] body = in.readNBytes(remaining);
            if (body.length < remaining) {
                return null;
            }
            packet.write(body);
            return packet.toByteArray();
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads and decodes one packet; null on timeout or close. */
    public MqttPacket read(Duration timeout) {
        byte[] raw = readRaw(timeout);
        if (raw == null) {
            return null;
        }
        DecodeResult r = decoder.decode(Unpooled.wrappedBuffer(raw));
        if (r instanceof MqttPacket p) {
            return p;
        }
        throw new AssertionError("broker sent a packet the codec refuses: " + r);
    }

    /** True when the broker closes the connection within the timeout (EOF or reset). */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket cannot fail in a way that matters
        }
    }
}
