package io.vane.app;

import io.vane.app.cli.VaneCommand;

/** Entry point of the {@code vane} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(VaneCommand.commandLine().execute(args));
    }
}
