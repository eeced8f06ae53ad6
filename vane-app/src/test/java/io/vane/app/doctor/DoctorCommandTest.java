package io.vane.app.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.app.cli.VaneCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: help, usage errors (exit 2), a config or weewx.conf that does not parse, JSON escaping. */
class DoctorCommandTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int vane(String... args) {
        CommandLine cli = VaneCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpNamesEveryOptionAndTheExitCodes() {
        assertThat(vane("doctor", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: vane doctor", "-c, --config-file=FILE", "--public-url=URL",
                "--weewx-conf=FILE", "--json", "--wait=SECONDS", "0   every check passed (warnings allowed)",
                "1   a check failed", "2   bad command line");
        out.getBuffer().setLength(0);
        assertThat(vane("--help")).isZero();
        assertThat(out.toString()).contains("doctor");
    }

    @Test
    void aPublicUrlThatIsNotAWebSocketIsAUsageError() {
        assertThat(vane("doctor", "--public-url", "http://example.org/")).isEqualTo(2);
        assertThat(err.toString()).contains("--public-url must be ws://HOST:PORT/PATH or wss://HOST:PORT/PATH");
        assertThat(vane("doctor", "--no-such-option")).isEqualTo(2);
    }

    @Test
    void aConfigThatDoesNotParseIsReportedWithFileAndLineForEveryProblem() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "listener 1883\nno_such_option 1\nallow_anonymous maybe\n");
        Path weewx = dir.resolve("weewx.conf");
        Files.writeString(weewx, "[StdRESTful]\n    [[MQTT]]\n        server_url mqtt://x\n");
        assertThat(vane("doctor", "-c", conf.toString(), "--weewx-conf", weewx.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("FAIL  " + conf + ":2: ", "FAIL  " + conf + ":3: ",
                "FAIL  " + weewx + ":3: expected 'key = value' or a [section], found: server_url mqtt://x");
    }

    @Test
    void jsonStringsAreEscaped() {
        assertThat(Report.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
