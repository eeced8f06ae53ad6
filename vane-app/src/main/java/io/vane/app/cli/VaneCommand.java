package io.vane.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code vane} command. Without a subcommand it runs the broker, so {@code vane -c file}
 * behaves like {@code mosquitto -c file}.
 */
@Command(name = "vane", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "An MQTT broker that reads Mosquitto's config files.",
        subcommands = {RunCommand.class, PasswdCommand.class, CertCommand.class,
            io.vane.app.doctor.DoctorCommand.class},
        footer = {"", "Without a command, vane runs the broker (same as 'vane run')."})
public final class VaneCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Spec
    CommandSpec spec;

    /** The command line Main executes; tests use it with their own writers. */
    public static CommandLine commandLine() {
        return new CommandLine(new VaneCommand());
    }

    @Override
    public Integer call() {
        return Launcher.run(options, spec.commandLine().getErr());
    }
}
