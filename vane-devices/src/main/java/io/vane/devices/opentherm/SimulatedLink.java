package io.vane.devices.opentherm;

import io.vane.devices.line.DeviceLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SimulatedGateway} as a line: reading yields its frames once per period and its answers to
 * what was written, so the simulated boiler goes through the same reader, decoder and command path as a
 * real gateway. Labelled simulated in {@link #describe()}.
 */
final class SimulatedLink implements DeviceLink {
    private final SimulatedGateway gateway;
    private final long periodMillis;
    private final LinkedBlockingQueue<byte[]> answers = new LinkedBlockingQueue<>(64);
    private volatile boolean open;

    SimulatedLink(SimulatedGateway gateway, long periodMillis) {
        this.gateway = gateway;
        this.periodMillis = periodMillis;
    }

    @Override
    public InputStream open() {
        open = true;
        return new InputStream() {
            private long nextTick = System.nanoTime();
            private byte[] pending = new byte[0];
            private int at;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at == pending.length) {
                    pending = next();
                    at = 0;
                }
                int n = Math.min(len, pending.length - at);
                System.arraycopy(pending, at, b, off, n);
                at += n;
                return n;
            }

            private byte[] next() throws IOException {
                long wait = Math.min(TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime()), 1_000);
                byte[] answer;
                try {
                    answer = wait > 0 ? answers.poll(wait, TimeUnit.MILLISECONDS) : answers.poll();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                if (!open) {
                    throw new IOException("closed");
                }
                if (answer != null) {
                    return answer;
                }
                if (System.nanoTime() - nextTick < 0) {
                    throw new SocketTimeoutException("quiet");
                }
                nextTick += periodMillis * 1_000_000;
                StringBuilder lines = new StringBuilder();
                synchronized (gateway) {
                    gateway.tick().forEach(l -> lines.append(l).append("\r\n"));
                }
                return lines.toString().getBytes(StandardCharsets.US_ASCII);
            }
        };
    }

    @Override
    public OutputStream output() throws IOException {
        if (!open) {
            throw new IOException("the simulated gateway is not running");
        }
        return new OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) {
                if (b == '\r' || b == '\n') {
                    if (line.length() > 0) {
                        String answer;
                        synchronized (gateway) {
                            answer = gateway.command(line.toString());
                        }
                        answers.offer((answer + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        line.setLength(0);
                    }
                } else if (line.length() < 64) {
                    line.append((char) b);
                }
            }
        };
    }

    @Override
    public String describe() {
        return "a simulated OpenTherm gateway";
    }

    @Override
    public void close() {
        open = false;
    }
}
