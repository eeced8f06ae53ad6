package io.vane.app.doctor;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vane doctor}: says which part of a broker + weewx + live page setup is wrong, and what to do. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check a Vane (or Mosquitto) setup the way a live weather page uses it: the config and the",
            "files it names, the ports, the certificates, the running broker, the public WebSocket, data on",
            "the topics, and whether weewx.conf agrees. One line per check: PASS, WARN or FAIL and what to do."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed (warnings allowed)", "1:a check failed", "2:bad command line"},
        footer = {"", "Example:", "  vane doctor -c /etc/vane/vane.conf --weewx-conf /etc/weewx/weewx.conf \\",
            "      --public-url wss://weather.example.org:9001/mqtt"})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config-file"}, paramLabel = "FILE",
            description = "The broker's config file, read as 'vane -c FILE' reads it. Without it: Vane's defaults.")
    Path configFile;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "Where visitors' pages connect: ws://HOST:PORT/mqtt or wss://HOST:PORT/mqtt.")
    URI publicUrl;

    @Option(names = "--weewx-conf", paramLabel = "FILE", description = "weewx.conf, to compare with the broker.")
    Path weewxConf;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long to wait for data on the topics (default ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3",
            description = "How long to wait for each answer from the broker (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--topic", paramLabel = "FILTER",
            description = "The topic filter to watch for data (default: the page's topic from weewx.conf, else weather/#).")
    String topic;

    @Option(names = "--user", paramLabel = "USER", description = "A user to test publishing with, without weewx.conf.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "That user's password.")
    String password;

    @Option(names = "--cafile", paramLabel = "FILE",
            description = "Trust these CA certificates for the public URL (e.g. vane cert's ca.pem) instead of the JDK's.")
    Path cafile;

    @Option(names = "--service-user", paramLabel = "USER",
            description = "Judge file access as USER, the account the broker runs as (default: vane when run as"
                    + " root and that account exists, else the user running doctor).")
    String serviceUser;

    @Option(names = "--json", description = "Print the report as JSON, for scripts.")
    boolean json;

    @Override
    public Integer call() {
        if (publicUrl != null && (publicUrl.getHost() == null
                || !("ws".equals(publicUrl.getScheme()) || "wss".equals(publicUrl.getScheme())))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--public-url must be ws://HOST:PORT/PATH or wss://HOST:PORT/PATH, not " + publicUrl);
        }
        if (waitSeconds < 0 || timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wait must be 0 or more, --timeout 1 or more");
        }
        DoctorInputs inputs = new DoctorInputs(configFile, publicUrl, weewxConf, Duration.ofSeconds(waitSeconds),
                Duration.ofSeconds(timeoutSeconds), user, password, cafile, topic, serviceUser);
        PrintWriter err = spec.commandLine().getErr();
        Report report = Doctor.run(inputs, json ? new PrintWriter(new StringWriter()) : err);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.json() + "\n" : report.text());
        out.flush();
        return report.exitCode();
    }
}
