package io.vane.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** vane cert makes a CA and a server certificate that openssl verifies and Vane can serve. */
class CertCommandTest {
    @TempDir
    Path dir;

    private static String run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void makesACaAndAServerCertificateForNamesAndAddresses() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = VaneCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("cert", "--dir", dir.toString(), "weather.local", "192.168.1.20")).isZero();
        assertThat(out.toString()).contains("certfile " + dir.resolve("server.pem"), "--cafile");
        assertThat(run(dir, "/usr/bin/openssl", "verify", "-CAfile", "ca.pem", "server.pem")).contains("server.pem: OK");
        String text = run(dir, "/usr/bin/openssl", "x509", "-in", "server.pem", "-noout", "-text");
        assertThat(text).contains("DNS:weather.local", "IP Address:192.168.1.20");
        // The files load as a listener's certificate: the key belongs to the certificate.
        io.vane.transport.tls.ServerCertificate.load(io.vane.transport.tls.TlsSettings.of(dir.resolve("server.pem"),
                dir.resolve("server.key")));

        String caBefore = Files.readString(dir.resolve("ca.pem"));
        assertThat(cl.execute("cert", "--dir", dir.toString(), "other.local")).isZero();
        assertThat(Files.readString(dir.resolve("ca.pem"))).as("the CA is reused").isEqualTo(caBefore);
        assertThat(run(dir, "/usr/bin/openssl", "verify", "-CAfile", "ca.pem", "server.pem")).contains("OK");
    }
}
