package io.vane.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vane run}: start the broker in the foreground until SIGINT or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Start the broker in the foreground (the default command).")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Launcher.run(options, spec.commandLine().getErr());
    }
}
