package io.vane.app;

import io.vane.app.cli.VaneCommand;

/** Entry point of the {@code vane} command. */
public final class Main {
    /** Netty reads this once, when its first buffer is made. */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    private Main() {
    }

    public static void main(String[] args) {
        // The leak detector wraps one buffer in 128 in a tracking wrapper; the mix of wrapped and plain
        // buffers makes Netty's hot paths polymorphic and the JIT recompiles them for minutes under
        // light load (docs/benchmarks.md). Tests keep Netty's default; -Dio.netty.leakDetection.level
        // on the command line (VANE_JAVA_OPTS) still wins.
        if (System.getProperty(LEAK_DETECTION) == null) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
        System.exit(VaneCommand.commandLine().execute(args));
    }
}
