package io.vane.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads a broker process's CPU time and memory from /proc, and for a JVM its heap after a full GC
 * (jcmd GC.run, then jstat). Linux only; every reading is -1 when it cannot be taken.
 */
final class BrokerProbe {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on every Linux this runs on

    private final long pid;
    private final boolean jvm;
    private volatile long peakRssKb;
    private Thread sampler;

    BrokerProbe(long pid) {
        this.pid = pid;
        this.jvm = pid > 0 && read("cmdline").contains("java");
    }

    boolean present() {
        return pid > 0;
    }

    boolean isJvm() {
        return jvm;
    }

    /** User plus system CPU seconds used so far. */
    double cpuSeconds() {
        String stat = read("stat");
        if (stat.isEmpty()) {
            return -1;
        }
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    /** Bytes the process caused to be written to storage so far (/proc/PID/io write_bytes), or -1. */
    long bytesWritten() {
        for (String line : read("io").split("\n")) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).trim());
            }
        }
        return -1;
    }

    long rssKb() {
        return statusKb("VmRSS:");
    }

    /** Starts sampling RSS every 100 ms; {@link #peakRssKb()} is the largest sample since. */
    void startPeakSampling() {
        stopPeakSampling();
        peakRssKb = rssKb();
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRssKb = Math.max(peakRssKb, rssKb());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    long stopPeakSampling() {
        if (sampler != null) {
            sampler.interrupt();
            sampler = null;
        }
        return peakRssKb = Math.max(peakRssKb, rssKb());
    }

    long peakRssKb() {
        return peakRssKb;
    }

    /** Heap in use right after a full GC, in KiB; -1 when the broker is not a JVM. */
    long heapAfterGcKb() {
        if (!jvm) {
            return -1;
        }
        run("jcmd", String.valueOf(pid), "GC.run");
        String out = run("jstat", "-gc", String.valueOf(pid));
        String[] lines = out.strip().split("\n");
        if (lines.length < 2) {
            return -1;
        }
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[1].trim().split("\\s+");
        double used = 0;
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (names[i].equals("S0U") || names[i].equals("S1U") || names[i].equals("EU") || names[i].equals("OU")) {
                used += Double.parseDouble(values[i]);
            }
        }
        return Math.round(used);
    }

    private long statusKb(String key) {
        for (String line : read("status").split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private String read(String file) {
        if (pid <= 0) {
            return "";
        }
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), file)),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static String run(String... command) {
        Path tool = Path.of(System.getProperty("java.home"), "bin", command[0]);
        if (Files.isExecutable(tool)) {
            command[0] = tool.toString();
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(30, TimeUnit.SECONDS);
                return out;
            }
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
