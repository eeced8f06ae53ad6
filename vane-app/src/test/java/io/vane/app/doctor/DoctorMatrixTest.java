package io.vane.app.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' failure stories, each made on the seed's own setup ({@link SeedSetup}) with a real Vane on
 * 127.0.0.1 where the story needs one running: vane doctor must name the problem and say what to do,
 * and pass a setup that works.
 */
class DoctorMatrixTest {
    @TempDir
    Path dir;
    SeedSetup setup;

    @AfterEach
    void stop() {
        if (setup != null) {
            setup.close();
        }
    }

    private String out() {
        return setup.out.toString();
    }

    @Test
    void theSeedSetupWithDataFlowingPassesEveryCheckAndExitsZero() throws Exception {
        setup = new SeedSetup(dir).start().publishing();
        int code = setup.doctor("--public-url", setup.pageUrl());
        assertThat(out()).as(out()).doesNotContain("FAIL", "WARN").contains("All ", "checks passed.");
        assertThat(code).isZero();
        assertThat(out()).contains("the broker is up on 127.0.0.1:" + setup.mqttPort,
                "an anonymous publish to a random topic (vane-doctor/", "is refused (Not authorized)",
                "an anonymous publish to the weather topic (weather/vane-doctor) is refused",
                "user weemqtt logs in with the password in weewx.conf's server_url",
                "the page's WebSocket at " + setup.pageUrl() + " works",
                "data arrives on weather/loop", "weewx made it at",
                "anonymous (the page's user) may read weather/loop by the ACL");
        assertThat(setup.err.toString()).contains("vane doctor: Testing the running broker...");
    }

    @Test
    void jsonReportsEveryCheckForScripts() throws Exception {
        setup = new SeedSetup(dir).start().publishing();
        int code = setup.doctor("--json", "--public-url", setup.pageUrl());
        assertThat(code).isZero();
        assertThat(out()).startsWith("{\"exitCode\":0,\"passed\":").contains("\"failed\":0,\"checks\":[",
                "{\"group\":\"broker\",\"status\":\"PASS\",\"what\":\"the broker is up on").endsWith("]}\n");
        assertThat(setup.err.toString()).as("progress stays off a JSON run's output").isEmpty();
    }

    @Test
    void aWrongPasswordInWeewxConfIsFoundInTheFileAndAtTheBroker() throws Exception {
        setup = new SeedSetup(dir);
        setup.writeWeewx("mqtt://weemqtt:weepasss@127.0.0.1:" + setup.mqttPort + "/", "weather/loop", "0").start();
        assertThat(setup.doctor()).isEqualTo(1);
        assertThat(out()).contains("FAIL  server_url's user weemqtt and password (weewx.conf line 7) do not match "
                + setup.pwfile, "fix: set the password again: vane passwd -b " + setup.pwfile + " weemqtt PASSWORD",
                "FAIL  the broker refuses user weemqtt with the password in weewx.conf's server_url (line 7)"
                + " (Bad User Name or Password)");
    }

    @Test
    void aPageTopicAnonymousMayNotReadIsFoundInTheAclAndLive() throws Exception {
        setup = new SeedSetup(dir);
        Files.writeString(setup.acl, "topic read $SYS/#\n\nuser weemqtt\ntopic readwrite weather/#\n");
        setup.start().publishing();
        assertThat(setup.doctor("--public-url", setup.pageUrl())).isEqualTo(1);
        assertThat(out()).contains("FAIL  anonymous (the page's user) may not read weather/loop by the ACL",
                "FAIL  anonymous (the page's user) may not read weather/loop (Not authorized)",
                "fix: in the ACL file, before the first 'user' line (rules for anonymous clients), add: topic read"
                + " weather/loop");
    }

    @Test
    void aPortHeldByAnotherProcessNamesTheProcess() throws Exception {
        setup = new SeedSetup(dir);
        try (ServerSocket squatter = new ServerSocket(setup.mqttPort)) {
            assertThat(setup.doctor()).isEqualTo(1);
        }
        long pid = ProcessHandle.current().pid();
        assertThat(out()).contains("FAIL  port " + setup.mqttPort + " (mqtt " + setup.mqttPort
                + ") cannot be bound: it is held by 'java' (pid " + pid, "which does not answer MQTT",
                "fix: stop that process (kill " + pid + ", or stop its service), or give this listener another free port");
    }

    @Test
    void anExpiredCertificateIsFound() throws Exception {
        setup = new SeedSetup(dir);
        Instant now = Instant.now();
        SelfSigned old = SelfSigned.make(dir, "old", "localhost", now.minus(Duration.ofDays(100)),
                now.minus(Duration.ofDays(10)));
        int tlsPort = SeedSetup.freePort();
        setup.writeConf("listener " + tlsPort + "\ncertfile " + old.cert + "\nkeyfile " + old.key + "\n");
        assertThat(setup.doctor()).isEqualTo(1);
        assertThat(out()).contains("FAIL  port " + tlsPort + " certificate " + old.cert + " expired on ",
                "fix: renew it (certbot renew), then make Vane re-read it: sudo systemctl reload vane",
                "PASS  port " + tlsPort + " certificate " + old.cert + " matches its key");
    }

    @Test
    void aCertificateExpiringWithinTwoWeeksWarnsAndAKeyFromAnotherCertificateFails() throws Exception {
        setup = new SeedSetup(dir);
        Instant now = Instant.now();
        SelfSigned soon = SelfSigned.make(dir, "soon", "localhost", now.minus(Duration.ofDays(80)),
                now.plus(Duration.ofDays(5)));
        SelfSigned other = SelfSigned.make(dir, "other", "localhost", now, now.plus(Duration.ofDays(90)));
        int tlsPort = SeedSetup.freePort();
        setup.writeConf("listener " + tlsPort + "\ncertfile " + soon.cert + "\nkeyfile " + other.key + "\n");
        setup.doctor();
        assertThat(out()).contains("WARN  port " + tlsPort + " certificate " + soon.cert + " expires on ",
                "within 14 days", "FAIL  port " + tlsPort + " certificate " + soon.cert + " does not belong to keyfile "
                + other.key);
    }

    @Test
    void aHostNameTheCertificateDoesNotNameIsFoundInTheFileAndOnTheWire() throws Exception {
        setup = new SeedSetup(dir);
        Instant now = Instant.now();
        SelfSigned cert = SelfSigned.make(dir, "server", "other.example", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(90)));
        int wssPort = SeedSetup.freePort();
        setup.writeConf("listener " + wssPort + "\nprotocol websockets\ncertfile " + cert.cert + "\nkeyfile " + cert.key
                + "\n").start();
        assertThat(setup.doctor("--public-url", "wss://localhost:" + wssPort + "/mqtt")).isEqualTo(1);
        assertThat(out()).contains("FAIL  port " + wssPort + " certificate " + cert.cert
                + " is for other.example, not localhost",
                "FAIL  the certificate served at localhost:" + wssPort + " is for other.example, not localhost",
                "fix: the page's host name and the certificate's name must match: get a certificate for localhost");
    }

    @Test
    void noDataOnTheTopicIsFound() throws Exception {
        setup = new SeedSetup(dir).start();
        assertThat(setup.doctor("--public-url", setup.pageUrl())).isEqualTo(1);
        assertThat(out()).contains("FAIL  no data on weather/loop in 2 s, and no retained message there",
                "fix: check that weewx runs and logs 'MQTT: Published record'");
    }

    @Test
    void aWorldReadablePasswordFileIsFound() throws Exception {
        setup = new SeedSetup(dir);
        Files.setPosixFilePermissions(setup.pwfile, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(setup.doctor()).isEqualTo(1);
        assertThat(out()).contains("FAIL  password_file " + setup.pwfile
                + " can be read by every user on this machine (rw-r--r--)", "fix: chmod 600 " + setup.pwfile);
    }

    @Test
    void aMissingFileIsFound() throws Exception {
        setup = new SeedSetup(dir);
        Files.delete(setup.acl);
        assertThat(setup.doctor()).isEqualTo(1);
        assertThat(out()).contains("FAIL  acl_file " + setup.acl + " does not exist",
                "FAIL  the broker is not up: nothing answers on 127.0.0.1:" + setup.mqttPort);
    }

    @Test
    void aLetsEncryptKeyTheServiceUserCannotReadIsFoundEvenWhenDoctorRunsAsRoot() throws Exception {
        setup = new SeedSetup(dir);
        // certbot's layout: live/NAME/ links into archive/NAME/, which is root's alone (0700).
        Path archive = Files.createDirectories(dir.resolve("letsencrypt/archive/weather.example"));
        Path live = Files.createDirectories(dir.resolve("letsencrypt/live/weather.example"));
        Instant now = Instant.now();
        SelfSigned cert = SelfSigned.make(archive, "privkey1", "weather.example", now, now.plus(Duration.ofDays(90)));
        Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../../archive/weather.example/privkey1.pem"));
        Files.createSymbolicLink(live.resolve("privkey.pem"), Path.of("../../archive/weather.example/privkey1.key"));
        for (Path p : new Path[] {dir, dir.resolve("letsencrypt"), dir.resolve("letsencrypt/archive"),
                dir.resolve("letsencrypt/live"), live}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(setup.pwfile, PosixFilePermissions.fromString("rw-r-----"));
        int tlsPort = SeedSetup.freePort();
        setup.writeConf("listener " + tlsPort + "\ncertfile " + live.resolve("fullchain.pem") + "\nkeyfile "
                + live.resolve("privkey.pem") + "\n");
        assertThat(setup.doctor("--service-user", "nobody")).isEqualTo(1);
        assertThat(out()).contains("FAIL  keyfile " + live.resolve("privkey.pem") + " cannot be read by user nobody:"
                + " folder " + archive + " (rwx------ " + System.getProperty("user.name") + ") does not let nobody in",
                "FAIL  password_file " + setup.pwfile + " cannot be read by user nobody: " + setup.pwfile.toRealPath()
                + " (rw-r----- ", "fix: let the user Vane runs as read it, e.g. sudo chown nobody "
                + live.resolve("privkey.pem"), "certbot deploy hook");
    }

    @Test
    void aWssPageWithATrustedCertificateForItsNameWorksAndAnUntrustedOneIsSaidSo() throws Exception {
        setup = new SeedSetup(dir);
        Instant now = Instant.now();
        SelfSigned cert = SelfSigned.make(dir, "server", "localhost", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(90)));
        int wssPort = SeedSetup.freePort();
        setup.writeConf("listener " + wssPort + "\nprotocol websockets\ncertfile " + cert.cert + "\nkeyfile " + cert.key
                + "\n").start().publishing();
        String url = "wss://localhost:" + wssPort + "/mqtt";
        setup.doctor("--public-url", url, "--cafile", cert.cert.toString());
        assertThat(out()).contains("PASS  port " + wssPort + " certificate " + cert.cert + " is valid for localhost",
                "PASS  the certificate served at localhost:" + wssPort + " is valid for localhost",
                "PASS  the certificate served at localhost:" + wssPort + " is trusted by " + cert.cert,
                "PASS  the page's WebSocket at " + url + " works: upgrade and MQTT CONNECT anonymously accepted",
                "PASS  data arrives on weather/loop");
        setup.out.getBuffer().setLength(0);
        setup.doctor("--public-url", url);
        assertThat(out()).contains("FAIL  the certificate served at localhost:" + wssPort + " is not trusted: ",
                "fix: use a certificate from a public CA (certbot), or import the home CA");
    }
}
