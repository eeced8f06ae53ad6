package io.vane.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a file can be refused, with the exact text the user sees. */
class ConfigErrorTest {

    @TempDir
    Path dir;

    /** Parses a file named vane.conf in the temp dir and returns the message after "vane.conf". */
    private String error(String... lines) throws IOException {
        Files.writeString(dir.resolve("vane.conf"), String.join("\n", lines) + "\n");
        try {
            new ConfigParser().withWorkingDirectory(dir).read(Path.of("vane.conf"));
        } catch (ConfigException e) {
            assertThat(e.all().get(0).getMessage()).isEqualTo(e.file() + ":" + e.line() + ": " + e.problem());
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        max_inflight_messages abc  | vane.conf:1: max_inflight_messages needs a whole number from 0 to 65535, got 'abc'; write e.g. max_inflight_messages 20
        max_inflight_messages 70000 | vane.conf:1: max_inflight_messages needs a whole number from 0 to 65535, got '70000'; write e.g. max_inflight_messages 20
        max_inflight_messages -1   | vane.conf:1: max_inflight_messages needs a whole number from 0 to 65535, got '-1'; write e.g. max_inflight_messages 20
        max_packet_size 10         | vane.conf:1: max_packet_size needs a whole number from 20 to 268435460, got '10'; write e.g. max_packet_size 1048576
        connect_timeout 0          | vane.conf:1: connect_timeout needs a whole number from 1 to 3600, got '0'; write e.g. connect_timeout 20
        connect_timeout 20s        | vane.conf:1: connect_timeout needs a whole number from 1 to 3600, got '20s'; write e.g. connect_timeout 20
        max_keepalive              | vane.conf:1: max_keepalive needs a value; write e.g. max_keepalive 60
        max_keepalive 1 2          | vane.conf:1: max_keepalive takes one value, got '1 2'; write e.g. max_keepalive 60
        allow_anonymous yes        | vane.conf:1: allow_anonymous needs true or false, got 'yes'; write e.g. allow_anonymous true
        persistence 1              | vane.conf:1: persistence needs true or false, got '1'; write e.g. persistence true
        protocol quic              | vane.conf:1: protocol needs mqtt or websockets, got 'quic'; write e.g. protocol websockets
        log_type chatty            | vane.conf:1: log_type needs one of debug, error, warning, notice, information, subscribe, unsubscribe, websockets, all, none, got 'chatty'; write e.g. log_type all
        log_dest printer           | vane.conf:1: log_dest needs stdout, stderr, file PATH or none, got 'printer'; write e.g. log_dest stderr
        log_dest file              | vane.conf:1: log_dest file needs a path; write e.g. log_dest file /var/log/vane/vane.log
        log_timestamp_format %Q    | vane.conf:1: log_timestamp_format '%Q' has '%Q', which Vane does not know; write a format using %Y %y %m %d %e %H %I %M %S %p %j %a %A %b %h %B %z %Z %F %T %D %R %%, e.g. log_timestamp_format %Y-%m-%dT%H:%M:%S
        persistence_location       | vane.conf:1: persistence_location needs a value; write e.g. persistence_location /var/lib/vane/
        listener                   | vane.conf:1: listener needs a value; write e.g. listener 1883
        listener abc               | vane.conf:1: listener needs a whole number from 1 to 65535, got 'abc'; write e.g. listener 1883
        listener 0                 | vane.conf:1: listener needs a whole number from 1 to 65535, got '0'; write e.g. listener 1883
        listener 1883 ::1 extra    | vane.conf:1: listener takes a port and an optional bind address, got '1883 ::1 extra'; write e.g. listener 1883 127.0.0.1
        port 99999                 | vane.conf:1: port needs a whole number from 1 to 65535, got '99999'; write e.g. port 1883
        persistance true           | vane.conf:1: unknown option 'persistance'; write persistence
        max_inflight_message 20    | vane.conf:1: unknown option 'max_inflight_message'; write max_inflight_messages
        pasword_file x             | vane.conf:1: unknown option 'pasword_file'; write password_file
        connection cloud           | vane.conf:1: connection cloud has no address; write e.g. address broker.example.org:1883 after it
        bridge_cafile /etc/ca.pem  | vane.conf:1: 'bridge_cafile' is a bridge option and belongs in a bridge section; write connection <name> before it, or remove it
        address 10.0.0.2:1883      | vane.conf:1: 'address' is a bridge option and belongs in a bridge section; write connection <name> before it, or remove it
        topic weather/# out 0      | vane.conf:1: 'topic' is a bridge option and belongs in a bridge section; write connection <name> before it, or remove it
        connection                 | vane.conf:1: connection needs a value; write e.g. connection house-to-public
        connection a b             | vane.conf:1: connection takes one name for the bridge, got 'a b'; write e.g. connection house-to-public
        include_dir                | vane.conf:1: include_dir needs a directory; write e.g. include_dir /etc/vane/conf.d
        include_dir missing.d      | vane.conf:1: include_dir 'missing.d' is not a directory; write the path of a directory holding *.conf files
        """)
    void oneBadLine(String line, String expected) throws IOException {
        assertThat(error("# a comment first", line).replace(":2:", ":1:")).isEqualTo(expected);
    }

    @Test
    void everyPlannedOptionIsKnownButNotYetSupported() throws IOException {
        // Each says why it is not skipped, and none is told to comment the line out (decision 0017).
        for (String name : new String[] {"mount_point", "plugin", "psk_hint", "bind_interface", "clientid_prefixes"}) {
            assertThat(error("listener 8883", name + " x"))
                    .startsWith("vane.conf:2: '" + name + "' is not supported yet; ").doesNotContain("comment the line out");
        }
    }

    /** A CRL or CA directory that cannot be used stops start-up at its line (issue 16). */
    @Test
    void capathAndCrlfileProblemsNameTheLine() throws IOException {
        Files.writeString(dir.resolve("notes.pem"), "not a CRL\n");
        Files.createDirectories(dir.resolve("empty"));
        assertThat(error("listener 8883", "crlfile missing.pem")).startsWith("vane.conf:2: crlfile " + dir.resolve(
                "missing.pem") + ": cannot read the CRL file").contains("would accept revoked client certificates");
        assertThat(error("listener 8883", "crlfile notes.pem")).startsWith("vane.conf:2: crlfile " + dir.resolve(
                "notes.pem") + ": no CRL in the file").contains("point crlfile at a PEM file with -----BEGIN X509 CRL-----");
        assertThat(error("listener 8883", "capath nowhere")).startsWith("vane.conf:2: capath " + dir.resolve("nowhere")
                + " is not a directory");
        assertThat(error("listener 8883", "capath empty")).startsWith("vane.conf:2: capath " + dir.resolve("empty")
                + " holds no CA certificate");
    }

    @Test
    void unknownOptionWithNothingCloseListsTheSupportedOptions() throws IOException {
        assertThat(error("frobnicate 1")).startsWith("vane.conf:1: unknown option 'frobnicate'; write one of "
                + "acl_file, allow_anonymous, allow_zero_length_clientid, allowed_origins, anonymous_home_data,"
                + " auto_id_prefix, ")
                .contains("include_dir", "listener", "max_inflight_messages", "protocol")
                .contains("password_file", "certfile").doesNotContain("mount_point");
    }

    @Test
    void aBridgeSectionsProblemNamesItsOwnLine() throws IOException {
        // Mosquitto's three section types: global options anywhere, listener options after 'listener',
        // bridge options after 'connection'. A listener after a bridge section still takes listener options.
        assertThat(error("listener 1883", "connection house-to-public", "address 192.168.1.10:1883",
                "topic weather/# out 0", "bridge_protocol_version mqttv6", "listener 9001", "protocol websockets",
                "allow_anonymous true"))
                .isEqualTo("vane.conf:5: bridge_protocol_version needs one of mqttv31, mqttv311, mqttv50, got 'mqttv6';"
                        + " write e.g. bridge_protocol_version mqttv311");
    }

    @Test
    void aBridgeNameIsUsedOnce() throws IOException {
        // Both problems in one start: the first section's own (no topic line) and the repeated name.
        assertThat(error("connection a", "address h:1883", "connection a")).isEqualTo("vane.conf:1: connection a has"
                + " no topic line, so nothing would cross it; write e.g. topic # in (receive everything) or topic # out"
                + " (send everything)\nvane.conf:3: connection a is already defined at vane.conf:1; write a"
                + " different name");
    }

    @Test
    void duplicateListener() throws IOException {
        assertThat(error("listener 1883", "listener 1883")).isEqualTo("vane.conf:2: listener 1883 is already"
                + " defined at vane.conf:1; write a different port, or put both sets of options under one"
                + " listener line");
    }

    @Test
    void bindAddressAfterAListenerWouldMakeASecondListener() throws IOException {
        assertThat(error("listener 1883", "bind_address 127.0.0.1")).isEqualTo("vane.conf:2: bind_address sets"
                + " the default listener, not the listener opened at vane.conf:1; write listener 1883 127.0.0.1");
    }

    @Test
    void maxQosMustAgreeAcrossListeners() throws IOException {
        assertThat(error("listener 1883", "max_qos 1", "listener 9001", "max_qos 2")).isEqualTo("vane.conf:4:"
                + " max_qos 2 differs from max_qos 1 set for another listener; Vane applies one max_qos to every"
                + " listener for now; write max_qos 1");
    }

    @Test
    void secondLogFile() throws IOException {
        assertThat(error("log_dest file a.log", "log_dest file b.log")).isEqualTo("vane.conf:2: log_dest file is"
                + " given twice; Vane writes one log file; remove one of them");
    }

    @Test
    void includeDirOnlyInTheMainFile() throws IOException {
        Files.createDirectories(dir.resolve("conf.d/more.d"));
        Files.writeString(dir.resolve("conf.d/a.conf"), "include_dir conf.d/more.d\n");
        assertThat(error("include_dir conf.d")).isEqualTo("conf.d/a.conf:1: include_dir works only in the main"
                + " config file (as in Mosquitto); write it in the main file");
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> new ConfigParser().withWorkingDirectory(dir).read(Path.of("nope.conf")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("nope.conf: cannot read the file (no such file)");
    }
}
