package io.vane.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of {@code vane} and {@code vane run}, named like mosquitto's. */
public final class ServerOptions {

    @Option(names = {"-c", "--config-file"}, paramLabel = "FILE",
            description = "Read a mosquitto.conf-style config file. Without it: MQTT on port 1883.")
    Path configFile;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Listen on PORT instead of the default listener's port (like mosquitto -p).")
    Integer port;

    @Option(names = {"-v", "--verbose"}, description = "Log everything (log_type all), whatever the config says.")
    boolean verbose;
}
