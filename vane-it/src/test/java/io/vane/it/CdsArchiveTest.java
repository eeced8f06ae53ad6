package io.vane.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The build makes a class-data-sharing archive for the jar (issue 17, start-up), and the launcher
 * starts with it. Start-up time itself is measured in docs/benchmarks.md, not asserted here.
 */
class CdsArchiveTest {

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(VaneProcess.launcherJvmOptions());
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void theBuildMadeAnArchiveTheJvmAcceptsAndVanesClassesComeFromIt() throws Exception {
        assertThat(VaneProcess.CDS_ARCHIVE).exists();
        assertThat(Files.getLastModifiedTime(VaneProcess.CDS_ARCHIVE))
                .isGreaterThan(Files.getLastModifiedTime(VaneProcess.JAR));
        assertThat(VaneProcess.cdsOptions()).isNotEmpty();
        // -Xshare:on makes an unusable archive an error instead of a silent fallback.
        Process p = new ProcessBuilder(java("-XX:SharedArchiveFile=" + VaneProcess.CDS_ARCHIVE, "-Xshare:on",
                "-Xlog:class+load=info", "-jar", VaneProcess.JAR.toString(), "--version"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("vane version");
        assertThat(out).containsPattern("io\\.vane\\.app\\.cli\\.VaneCommand source: shared objects file");
    }
}
