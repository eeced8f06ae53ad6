package io.vane.devices.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pseudo-terminal pair made by Debian's socat, a serial line with a device at each end: Vane opens
 * one, the test plays the device on the other. socat is started here and stopped through its Process.
 */
public final class SocatPty implements AutoCloseable {
    public static final Path SOCAT = Path.of("/usr/bin/socat");
    private static final Pattern PTY = Pattern.compile("PTY is (/dev/pts/\\d+)");

    private final Process socat;
    private final List<String> names;

    private SocatPty(Process socat, List<String> names) {
        this.socat = socat;
        this.names = names;
    }

    public static boolean installed() {
        return Files.isExecutable(SOCAT);
    }

    /** Starts socat and waits (at most 10 s) for the two pty names it prints with -d -d. */
    public static SocatPty start() throws IOException {
        Process socat = new ProcessBuilder(SOCAT.toString(), "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0").start();
        List<String> names = new ArrayList<>();
        BufferedReader err = new BufferedReader(new InputStreamReader(socat.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (names.size() < 2 && System.nanoTime() < deadline) {
            String line = err.readLine();
            if (line == null) {
                break;
            }
            Matcher m = PTY.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        SocatPty pty = new SocatPty(socat, names);
        if (names.size() != 2) {
            pty.close();
            throw new IOException("socat printed " + names.size() + " pty names, not 2");
        }
        // Keep draining stderr so socat never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // discard
                }
            } catch (IOException e) {
                // socat ended
            }
        }, "socat-stderr");
        drain.setDaemon(true);
        drain.start();
        return pty;
    }

    /** The end Vane opens. */
    public String vaneEnd() {
        return names.get(0);
    }

    /** The end the test plays the device on. */
    public String deviceEnd() {
        return names.get(1);
    }

    @Override
    public void close() {
        socat.destroy();
        try {
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socat.destroyForcibly();
        }
    }
}
