package io.vane.devices.opentherm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway's end of a line, played by the test over any stream pair (a TCP socket, a pty opened with
 * jSerialComm): a {@link SimulatedGateway} printing its frames every {@code periodMillis} and answering
 * each command line. A command whose code is a refusal ({@code NG=1}, {@code OR=1}, ...) is answered
 * with that refusal, so every error reply can be provoked. Records the commands it received.
 */
public final class FakeGateway implements AutoCloseable {
    public final SimulatedGateway gateway = new SimulatedGateway();
    public final List<String> received = new CopyOnWriteArrayList<>();
    private final OutputStream out;
    private final Thread ticker;
    private final Thread listener;
    private volatile boolean closed;

    public FakeGateway(InputStream in, OutputStream out, long periodMillis) {
        this.out = out;
        ticker = new Thread(() -> {
            try {
                while (!closed) {
                    List<String> lines;
                    synchronized (gateway) {
                        lines = gateway.tick();
                    }
                    for (String l : lines) {
                        write(l + "\r\n");
                    }
                    Thread.sleep(periodMillis); // the gateway's own pace, not a wait for a condition
                }
            } catch (IOException | InterruptedException e) {
                // the line went away
            }
        }, "fake-gateway-frames");
        listener = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                String line;
                while (!closed && (line = r.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    received.add(line);
                    String code = line.length() >= 2 ? line.substring(0, 2) : "";
                    String answer;
                    if (GatewayLine.REFUSALS.containsKey(code)) {
                        answer = code;
                    } else {
                        synchronized (gateway) {
                            answer = gateway.command(line);
                        }
                    }
                    write(answer + "\r\n");
                }
            } catch (IOException e) {
                // the line went away
            }
        }, "fake-gateway-commands");
        ticker.setDaemon(true);
        listener.setDaemon(true);
    }

    public FakeGateway start() {
        ticker.start();
        listener.start();
        return this;
    }

    /** Writes raw bytes on the line, between the gateway's own lines. */
    public synchronized void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public synchronized void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        ticker.interrupt();
        listener.interrupt();
    }
}
