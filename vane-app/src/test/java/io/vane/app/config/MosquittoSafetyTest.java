package io.vane.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decision 0016: with a config file Mosquitto 2.0's safety rules hold (measured against Debian's
 * mosquitto 2.0.11: a file without listeners runs local-only and lets this machine's clients in; a file
 * with a listener and no allow_anonymous refuses anonymous clients). Decision 0017: every problem of a
 * file in one start, suggestions that never weaken security, and notices for what is ignored.
 */
class MosquittoSafetyTest {

    @TempDir
    Path dir;

    private VaneConfig parse(String... lines) throws Exception {
        return parser().read(write(lines));
    }

    private ConfigParser parser() {
        return new ConfigParser().withWorkingDirectory(dir).withRunningUser("vane");
    }

    private Path write(String... lines) throws IOException {
        Files.writeString(dir.resolve("vane.conf"), String.join("\n", lines) + "\n");
        return Path.of("vane.conf");
    }

    private String error(ConfigParser parser, String... lines) throws IOException {
        Path file = write(lines);
        return catchThrowableOfType(() -> parser.read(file), ConfigException.class).getMessage();
    }

    /** 127.0.0.1, and ::1 where this machine has an IPv6 loopback. */
    static java.util.List<String> loopbacks() throws Exception {
        boolean v6 = java.net.NetworkInterface.getByInetAddress(java.net.InetAddress.getByName("::1")) != null;
        return v6 ? java.util.List.of("127.0.0.1", "::1") : java.util.List.of("127.0.0.1");
    }

    @Test
    void aFileWithoutListenersListensOnLoopbackOnlyAsMosquittoDoes() throws Exception {
        VaneConfig config = parse("persistence false");
        // Both loopbacks, as Mosquitto's "localhost"; ::1 only where the machine has it.
        assertThat(config.listeners()).extracting(l -> l.bindAddress())
                .containsExactlyElementsOf(loopbacks());
        assertThat(config.listeners()).allSatisfy(l -> assertThat(l.port()).isEqualTo(1883));
        assertThat(config.security().global().allowAnonymous()).isTrue();
    }

    @Test
    void aListenerWithoutAllowAnonymousRefusesAnonymousClients() throws Exception {
        VaneConfig config = parse("listener 1883", "listener 9001", "protocol websockets");
        assertThat(config.listeners()).allSatisfy(l -> assertThat(l.bindAddress()).isNull());
        assertThat(config.security().global().allowAnonymous()).isFalse();
        assertThat(config.app().notices()).isEmpty();
    }

    @Test
    void portAloneIsAListenerOnEveryInterfaceAndRefusesAnonymous() throws Exception {
        VaneConfig config = parse("port 1884");
        assertThat(config.listeners()).singleElement().satisfies(l -> assertThat(l.bindAddress()).isNull());
        assertThat(config.security().global().allowAnonymous()).isFalse();
        // -p with a file that has no listener: local-only mode on that port (mosquitto 2.0.11 -c FILE -p PORT
        // listens on 127.0.0.1 and ::1 and accepts anonymous clients).
        Path file = write("persistence false");
        VaneConfig withP = parser().withCommandLinePort(1885).read(file);
        assertThat(withP.listeners()).extracting(l -> l.bindAddress()).containsExactlyElementsOf(loopbacks());
        assertThat(withP.listeners()).allSatisfy(l -> assertThat(l.port()).isEqualTo(1885));
        assertThat(withP.security().global().allowAnonymous()).isTrue();
    }

    @Test
    void perListenerSettingsRefuseAnonymousOnEachListenerThatDoesNotSay() throws Exception {
        VaneConfig config = parse("per_listener_settings true", "listener 1883", "allow_anonymous true",
                "listener 1884");
        assertThat(config.security().perListener().get(1883).allowAnonymous()).isTrue();
        assertThat(config.security().perListener().get(1884).allowAnonymous()).isFalse();
    }

    @Test
    void writtenValuesAreKeptAndOnlyTheRunWithoutAFileUsesTheDemoPolicy() throws Exception {
        assertThat(parse("allow_anonymous false").security().global().allowAnonymous()).isFalse();
        assertThat(parse("listener 1883", "allow_anonymous true").security().global().allowAnonymous()).isTrue();
        assertThat(new ConfigParser().defaults().security().global().allowAnonymous()).isNull();
    }

    @Test
    void everyProblemOfAFileIsReportedInOneStartWithItsFileAndLine() throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/b.conf"), "max_keepalive many\n");
        String message = error(parser(), "persistance true", "include_dir conf.d", "listener 1883",
                "max_qos 7", "allow_anonymous maybe");
        assertThat(message.split("\n")).containsExactly(
                "vane.conf:1: unknown option 'persistance'; write persistence",
                "conf.d/b.conf:1: max_keepalive needs a whole number from 0 to 65535, got 'many'; write e.g."
                        + " max_keepalive 60",
                "vane.conf:4: max_qos needs a whole number from 0 to 2, got '7'; write e.g. max_qos 1",
                "vane.conf:5: allow_anonymous needs true or false, got 'maybe'; write e.g. allow_anonymous true");
    }

    @Test
    void aSuggestionKeepsTheValueTheUserMeant() throws Exception {
        assertThat(error(parser(), "allow_anonymous = false"))
                .isEqualTo("vane.conf:1: allow_anonymous takes its value after a space, without '='; write"
                        + " allow_anonymous false");
        assertThat(error(parser(), "allow_anonymous=false"))
                .isEqualTo("vane.conf:1: allow_anonymous takes its value after a space, without '='; write"
                        + " allow_anonymous false");
        assertThat(error(parser(), "allow_anonymous no"))
                .isEqualTo("vane.conf:1: allow_anonymous needs true or false, got 'no'; write e.g. allow_anonymous"
                        + " false");
        assertThat(error(parser(), "require_certificate off")).endsWith("write e.g. require_certificate false");
    }

    @Test
    void refusalsThatGuardSecurityNeverSayCommentItOut() throws Exception {
        assertThat(error(parser(), "plugin /usr/lib/mosquitto-go-auth/go-auth.so"))
                .contains("do not comment it out").contains("access control would be gone");
        assertThat(error(parser(), "listener 8883", "crlfile /etc/ca/crl.pem"))
                .contains("would accept revoked client certificates");
    }

    /** The dynamic-security plugin's file is read (decision 0022); its lines must be complete and alone. */
    @Test
    void theDynamicSecurityPluginIsReadFromItsFile() throws Exception {
        java.nio.file.Path json = dir.resolve("dynamic-security.json");
        java.nio.file.Files.writeString(json, "{\"clients\": [], \"roles\": []}");
        String plugin = "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";
        io.vane.app.config.VaneConfig config = parser().read(write(plugin, "plugin_opt_config_file " + json,
                "listener 1883"));
        assertThat(config.security().global().dynamicSecurity()).isEqualTo(json);
        assertThat(config.app().notices()).anyMatch(n -> n.contains("$CONTROL/dynamic-security is not served"));
        assertThat(error(parser(), plugin, "listener 1883")).contains(":1: the dynamic-security plugin needs its file;"
                + " write plugin_opt_config_file");
        assertThat(error(parser(), "password_file /etc/mosquitto/pw", plugin, "plugin_opt_config_file " + json))
                .contains(":2: Vane takes users and ACLs from one place per listener");
        assertThat(error(parser(), plugin, "plugin_opt_config_file " + dir.resolve("missing.json")))
                .contains(":2: plugin_opt_config_file " + dir.resolve("missing.json") + ": cannot read");
    }

    @Test
    void optionsThatCannotApplyAreAcceptedWithANoticeNamingTheLine() throws Exception {
        List<String> ignored = List.of("log_facility 5", "check_retain_source true", "autosave_on_changes true",
                "dhparamfile /etc/dh.pem", "websockets_log_level 255", "log_dest topic", "log_dest syslog",
                "memory_limit 0", "set_tcp_nodelay false", "plugin_opt_config_file /var/lib/m/dynsec.json",
                "retry_interval 20", "user vane");
        VaneConfig config = parse(ignored.toArray(String[]::new));
        assertThat(config.app().notices()).hasSize(ignored.size() + 1); // + local-only
        for (int i = 0; i < ignored.size(); i++) {
            String name = ignored.get(i).split(" ")[0];
            int line = i + 1;
            assertThat(config.app().notices()).anySatisfy(n -> assertThat(n).startsWith("vane.conf:" + line + ": "
                    + name));
        }
    }

    @Test
    void userStopsARootStartUnlessItSaysRoot() throws Exception {
        ConfigParser asRoot = new ConfigParser().withWorkingDirectory(dir).withRunningUser("root");
        assertThat(error(asRoot, "user mosquitto")).isEqualTo("vane.conf:1: user mosquitto: Vane does not switch"
                + " users itself and would keep running as root; start it as mosquitto (the packaged unit runs as"
                + " vane: systemctl start vane), or write user root to run as root knowingly");
        assertThat(asRoot.read(write("user root")).app().notices()).anyMatch(n -> n.startsWith("vane.conf:1: user root:"));
        assertThat(parser().read(write("user mosquitto")).app().notices())
                .anyMatch(n -> n.equals("vane.conf:1: user mosquitto is ignored: Vane does not switch users; it runs"
                        + " as vane, the user that started it"));
    }

    @Test
    void socketDomainPicksTheAddressFamily() throws Exception {
        assertThat(parse("listener 1883", "socket_domain ipv4").listeners().get(0).bindAddress()).isEqualTo("0.0.0.0");
        assertThat(parse("listener 1883", "socket_domain ipv6").listeners().get(0).bindAddress()).isEqualTo("::");
        assertThat(error(parser(), "listener 1883 127.0.0.1", "socket_domain ipv6")).isEqualTo("vane.conf:2:"
                + " socket_domain ipv6 does not fit the listener's address 127.0.0.1; write the address of that"
                + " family, or remove socket_domain");
    }
}
