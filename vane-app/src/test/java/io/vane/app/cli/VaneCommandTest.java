package io.vane.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.config.VaneConfig;
import io.vane.transport.ListenerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VaneCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vane(String... args) {
        CommandLine cli = VaneCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /**
     * A start without a config file keeps its data in ./vane-data (ConfigParser.NO_CONFIG_DATA_FOLDER);
     * the tests here that start that way remove what they made, so the tree stays as it was.
     */
    private final boolean dataFolderExisted = Files.exists(Path.of(io.vane.app.config.ConfigParser.NO_CONFIG_DATA_FOLDER));

    @org.junit.jupiter.api.AfterEach
    void removeTheDataFolderThisTestMade() throws IOException {
        Path data = Path.of(io.vane.app.config.ConfigParser.NO_CONFIG_DATA_FOLDER);
        if (!dataFolderExisted && Files.exists(data)) {
            try (var files = Files.walk(data)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void helpListsTheRunCommandAndTheOptions() {
        assertThat(vane("--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: vane", "Commands:", "run", "Start the broker in the foreground")
                .contains("-c, --config-file=FILE", "-p, --port=PORT", "-v, --verbose", "-h, --help",
                        "-V, --version");
    }

    @Test
    void runHasTheSameOptions() {
        assertThat(vane("run", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: vane run", "-c, --config-file=FILE", "-p, --port=PORT",
                "-v, --verbose");
    }

    @Test
    void versionComesFromTheManifestOrIsDev() {
        assertThat(vane("--version")).isZero();
        assertThat(out.toString().strip()).isEqualTo("vane version dev");
    }

    @Test
    void badConfigExitsOneWithTheMessage() throws IOException {
        Path file = dir.resolve("vane.conf");
        Files.writeString(file, "listener 1883\nmax_inflight_messages abc\n");
        assertThat(vane("-c", file.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo(file + ":2: max_inflight_messages needs a whole number"
                + " from 0 to 65535, got 'abc'; write e.g. max_inflight_messages 20");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void badConfigThroughRunToo() throws IOException {
        Path file = dir.resolve("vane.conf");
        Files.writeString(file, "persistence false\nallow_anonymous true\nmount_point vane/\n");
        assertThat(vane("run", "--config-file", file.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith(file + ":3: 'mount_point' is not supported yet; Vane has no"
                + " mount points yet;");
    }

    @Test
    void missingConfigFile() {
        Path file = dir.resolve("nope.conf");
        assertThat(vane("-c", file.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo(file + ": cannot read the file (no such file)");
    }

    @Test
    void portOutOfRange() {
        assertThat(vane("-p", "70000")).isEqualTo(1);
        assertThat(err.toString().strip())
                .isEqualTo("Error: Invalid port specified (70000); write a port from 1 to 65535.");
    }

    @Test
    void verboseAndPortShapeTheConfig() throws Exception {
        ServerOptions options = new ServerOptions();
        options.port = 1999;
        options.verbose = true;
        VaneConfig config = Launcher.load(options);
        assertThat(config.listeners()).containsExactly(ListenerConfig.mqtt(1999), ListenerConfig.websockets(9001));
        assertThat(config.logging().types()).hasSize(8);
    }

    @Test
    void aStartThatFailsExitsOne() throws IOException {
        // With the stub Vane start() always fails; with the real one the port is taken. Either way: 1.
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThat(vane("-p", Integer.toString(taken.getLocalPort()))).isEqualTo(1);
            assertThat(err.toString()).startsWith("Error: ");
        }
    }

    @Test
    void portInUseMessageNamesThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            BindException bind = assertBindFails(port);
            VaneConfig config = VaneConfig.defaults().withListeners(List.of(ListenerConfig.mqtt(port)));
            assertThat(StartFailure.describe(config, new IllegalStateException("start failed", bind)))
                    .isEqualTo("Error: Address already in use: port " + port
                            + ". Is another broker running? Stop it or choose another port with -p.");
        }
    }

    private static BindException assertBindFails(int port) throws IOException {
        try (ServerSocket second = new ServerSocket()) {
            second.bind(new InetSocketAddress(port));
        } catch (BindException e) {
            return e;
        }
        throw new AssertionError("port " + port + " was not taken");
    }
}
