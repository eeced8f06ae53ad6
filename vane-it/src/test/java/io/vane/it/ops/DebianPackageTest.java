package io.vane.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vane.testkit.Poll;
import io.vane.testkit.Processes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package the build makes, checked as Debian would: lintian finds nothing, dpkg unpacks it into a
 * temporary root (never into /: the test leaves the machine as it was), the maintainer scripts are
 * sound shell, and the unit's own ExecStart, run from that root against the packaged config (ports and
 * folders moved into the test's), starts a Vane that says READY=1 and listens.
 */
class DebianPackageTest {
    static Path deb;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPackage() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "vane-app", "target"))) {
            deb = files.filter(p -> p.getFileName().toString().matches("vane_.+_all\\.deb")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no vane_*_all.deb: mvn package builds it in vane-app"));
        }
    }

    @Test
    void lintianFindsNoErrorOrWarning() {
        assertThat(onPath("lintian")).as("lintian is installed (.ci/run: apt-get install lintian)").isTrue();
        Processes.Result r = Processes.run(120, "lintian", "--fail-on", "error,warning", "--tag-display-limit", "0",
                deb.toString());
        List<String> tags = (r.stdout() + r.stderr()).lines().filter(l -> l.matches("^[EW]: .*")).toList();
        assertThat(tags).as((r.stdout() + r.stderr())).isEmpty();
        assertThat(r.exitCode()).as((r.stdout() + r.stderr())).isZero();
    }

    @Test
    void controlFieldsNameTheJavaRuntimeAndTheFileName() {
        String fields = Processes.run(30, "dpkg-deb", "-f", deb.toString(), "Package", "Version", "Architecture",
                "Depends").stdout();
        assertThat(fields).contains("Package: vane\n").contains("Architecture: all\n")
                .contains("Depends: openjdk-17-jre-headless | java17-runtime-headless, adduser\n");
        String version = fields.lines().filter(l -> l.startsWith("Version: ")).findFirst().orElseThrow().substring(9);
        assertThat(deb.getFileName().toString()).isEqualTo("vane_" + version + "_all.deb");
    }

    @Test
    void unpacksIntoATemporaryRootWithConffilesAndSoundMaintainerScripts() throws Exception {
        Path root = unpack();
        for (String file : List.of("usr/bin/vane", "usr/share/vane/vane.jar", "usr/share/vane/certbot-deploy-hook",
                "lib/systemd/system/vane.service",
                "usr/share/man/man1/vane.1.gz", "usr/share/doc/vane/copyright")) {
            assertThat(root.resolve(file)).as(file).exists();
        }
        assertThat(root.resolve("etc/vane/conf.d")).isDirectory();
        // dpkg keeps conffiles aside until configure decides between the user's copy and the new one.
        assertThat(root.resolve("etc/vane/vane.conf.dpkg-new")).exists();
        assertThat(root.resolve("etc/logrotate.d/vane.dpkg-new")).exists();
        assertThat(Files.isExecutable(root.resolve("usr/bin/vane"))).isTrue();
        String status = Files.readString(root.resolve("var/lib/dpkg/status"));
        assertThat(status).contains("Status: install ok unpacked")
                .contains(" /etc/vane/vane.conf newconffile").contains(" /etc/logrotate.d/vane newconffile");
        Path info = root.resolve("var/lib/dpkg/info");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path s = info.resolve("vane." + script);
            assertThat(Files.isExecutable(s)).as(script).isTrue();
            Processes.Result syntax = Processes.run(10, "sh", "-n", s.toString());
            assertThat(syntax.exitCode()).as(script + ": " + (syntax.stdout() + syntax.stderr())).isZero();
        }
        String postinst = Files.readString(info.resolve("vane.postinst"));
        assertThat(postinst).contains("adduser --system --group").contains("--home /var/lib/vane")
                .contains("install -d -o vane -g vane -m 0750 \"$dir\"").contains("deb-systemd-helper enable");
        assertThat(Files.readString(info.resolve("vane.postrm"))).as("purge keeps the data")
                .doesNotContain("rm -rf /var/lib/vane");
    }

    @Test
    void theUnitIsHardenedAndOfTypeNotify() throws Exception {
        Path root = unpack();
        Path unit = root.resolve("lib/systemd/system/vane.service");
        List<String> lines = Files.readAllLines(unit);
        assertThat(lines).contains("Type=notify", "User=vane", "Group=vane", "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/vane /var/log/vane", "NoNewPrivileges=true", "PrivateTmp=true",
                "ProtectHome=true", "CapabilityBoundingSet=", "WatchdogSec=60", "ExecReload=/bin/kill -HUP $MAINPID");
        if (onPath("systemd-analyze")) {
            // systemd's own judgement of the sandbox, offline: 0 is locked down, 10 is none at all;
            // --threshold counts in tenths.
            Processes.Result r = Processes.run(60, "systemd-analyze", "security", "--offline=true",
                    "--threshold=40", "--root=" + root, "/lib/systemd/system/vane.service");
            assertThat(r.exitCode()).as((r.stdout() + r.stderr())).isZero();
            assertThat((r.stdout() + r.stderr())).contains("Overall exposure level for vane.service");
        }
    }

    @Test
    void theUnitsExecStartRunsTheUnpackedVaneUntilItIsReady() throws Exception {
        Path root = unpack();
        String execStart = Files.readAllLines(root.resolve("lib/systemd/system/vane.service")).stream()
                .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
        assertThat(execStart).isEqualTo("/usr/bin/vane -c /etc/vane/vane.conf");
        int mqtt = freePort();
        int ws = freePort();
        Path data = Files.createDirectories(dir.resolve("var-lib-vane"));
        Path logs = Files.createDirectories(dir.resolve("var-log-vane"));
        Path conf = dir.resolve("vane.conf");
        Files.writeString(conf, Files.readString(root.resolve("etc/vane/vane.conf.dpkg-new"))
                .replace("listener 1883\n", "listener " + mqtt + " 127.0.0.1\n")
                .replace("listener 9001\n", "listener " + ws + " 127.0.0.1\n")
                .replace("/var/lib/vane/", data + "/")
                .replace("/var/log/vane/", logs + "/")
                .replace("/etc/vane/conf.d", root.resolve("etc/vane/conf.d").toString()));
        List<String> command = new ArrayList<>(List.of(execStart.split(" ")));
        command.set(0, root + command.get(0));
        command.set(command.indexOf("/etc/vane/vane.conf"), conf.toString());
        try (NotifySocket systemd = new NotifySocket(dir.resolve("notify.sock"))) {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.txt").toFile());
            pb.environment().put("NOTIFY_SOCKET", systemd.path.toString());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process vane = pb.start();
            try {
                String ready = systemd.await("READY=1", Duration.ofSeconds(60));
                assertThat(ready).as(Files.readString(dir.resolve("stdout.txt"))).isNotNull()
                        .as("the launcher execs java: systemd's main pid is Vane").contains("MAINPID=" + vane.pid());
                assertThat(accepts(mqtt)).isTrue();
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ws + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(Poll.until(Duration.ofSeconds(10), () -> read(logs.resolve("vane.log")).contains("running")))
                        .as("log_dest file from the packaged config").isTrue();
                assertThat(data.resolve("vane-store.db")).exists();
            } finally {
                vane.destroy();
                if (!vane.waitFor(15, TimeUnit.SECONDS)) {
                    vane.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            assertThat(vane.exitValue()).isZero();
        }
    }

    /** dpkg --unpack into an empty root of the test's: files and conffiles land, no script runs. */
    private Path unpack() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Processes.Result r = Processes.run(120, "dpkg", "--root=" + root, "--force-not-root", "--unpack",
                deb.toAbsolutePath().toString());
        assertThat(r.exitCode()).as((r.stdout() + r.stderr())).isZero();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    private static boolean onPath(String command) {
        return Processes.run(10, "sh", "-c", "command -v " + command).exitCode() == 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
