package io.vane.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vane.app.config.LogSettings.Destination;
import io.vane.app.config.LogSettings.Type;
import io.vane.broker.BrokerSettings;
import io.vane.transport.ListenerConfig;
import io.vane.transport.ListenerConfig.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {

    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private VaneConfig parse(String... lines) throws Exception {
        return new ConfigParser().withWorkingDirectory(dir).read(write("vane.conf", lines));
    }

    private String error(String... lines) throws IOException {
        Path file = write("vane.conf", lines);
        try {
            new ConfigParser().withWorkingDirectory(dir).read(file);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(file + ":");
            return e.getMessage().substring(file.toString().length());
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void webSocketListenerOptions() throws Exception {
        VaneConfig config = parse("listener 9001", "protocol websockets", "trusted_proxies 127.0.0.1, ::1",
                "allowed_origins https://a.example https://b.example", "max_frame_size 4096");
        ListenerConfig l = config.listeners().get(0);
        assertThat(l.trustedProxies()).containsExactly("127.0.0.1", "::1");
        assertThat(l.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(l.maxFrameSize()).isEqualTo(4096);
    }

    @Test
    void httpDirBelongsToItsListener() throws Exception {
        VaneConfig config = parse("listener 9001", "protocol websockets", "http_dir www");
        assertThat(config.listeners()).containsExactly(
                ListenerConfig.websockets(9001).withHttpDir(dir.resolve("www")));
    }

    @Test
    void emptyFileGivesDefaultsAndTheDefaultListener() throws Exception {
        VaneConfig config = parse("# nothing but a comment", "", "   ");
        assertThat(config.broker()).isEqualTo(BrokerSettings.defaults());
        // Mosquitto 2.0's local-only mode (decision 0016): loopback only, this machine's clients anonymously.
        assertThat(config.listeners()).extracting(ListenerConfig::bindAddress)
                .containsExactlyElementsOf(MosquittoSafetyTest.loopbacks());
        assertThat(config.listeners().get(0)).isEqualTo(new ListenerConfig(1883, "127.0.0.1", ListenerConfig.Protocol.MQTT, -1));
        assertThat(config.logging()).isEqualTo(LogSettings.defaults());
        assertThat(config.allowAnonymous()).isTrue();
        assertThat(config.app().notices()).singleElement().asString().startsWith("No listener is configured, so Vane"
                + " listens on " + String.join(" and ", MosquittoSafetyTest.loopbacks())
                + " port 1883 only (Mosquitto 2.0's local-only mode)");
        assertThat(config.app().withNotices(java.util.List.of())).isEqualTo(AppSettings.defaults());
        assertThat(config.source()).isEqualTo(dir.resolve("vane.conf"));
    }

    @Test
    void everyBrokerOptionIsParsed() throws Exception {
        VaneConfig config = parse(
                "max_inflight_messages 40",
                "max_queued_messages 200",
                "max_queued_bytes 5000000000",
                "max_packet_size 2048",
                "message_size_limit 1024",
                "max_keepalive 120",
                "sys_interval 0",
                "persistence true",
                "persistence_location data/",
                "persistence_file vane.db",
                "autosave_interval 60",
                "retain_available false",
                "max_qos 1",
                "max_topic_alias 5",
                "allow_zero_length_clientid false",
                "auto_id_prefix gen-",
                "queue_qos0_messages true",
                "upgrade_outgoing_qos true",
                "persistent_client_expiration 2h",
                "max_topic_levels 50",
                "max_retained_messages 500",
                "max_retained_bytes 1000000",
                "allow_anonymous false",
                "per_listener_settings true");
        assertThat(config.broker()).isEqualTo(BrokerSettings.builder().maxInflightMessages(40)
                .maxQueuedMessages(200).maxQueuedBytes(5_000_000_000L).maxPacketSize(2048).messageSizeLimit(1024)
                .maxKeepalive(120).sysInterval(0).persistence(true).persistenceLocation(dir.resolve("data/"))
                .retainAvailable(false).maxQos(1).maxTopicAlias(5).allowZeroLengthClientid(false)
                .autoIdPrefix("gen-").queueQos0Messages(true).upgradeOutgoingQos(true)
                .persistentClientExpiration(7200).maxTopicLevels(50).maxRetainedMessages(500)
                .maxRetainedBytes(1_000_000).build());
        assertThat(config.allowAnonymous()).isFalse();
        assertThat(config.app().persistence()).isEqualTo(new PersistenceSettings("vane.db", 60));
        assertThat(config.app().perListenerSettings()).isTrue();
    }

    @Test
    void maximumQosIsMosquittosOtherSpellingOfMaxQos() throws Exception {
        assertThat(parse("maximum_qos 1").broker().maxQos()).isEqualTo(1);
        assertThat(parse("listener 1883", "maximum_qos 0").broker().maxQos()).isZero();
    }

    @Test
    void brokerWideBudgetsAreSizedToTheHeapUnlessWritten() throws Exception {
        BrokerSettings auto = parse("# nothing").broker();
        assertThat(auto.maxOfflineSessions()).isEqualTo(BrokerSettings.AUTOMATIC);
        assertThat(auto.globalMaxQueuedBytes()).isEqualTo(BrokerSettings.AUTOMATIC);
        BrokerSettings sized = auto.resolve(256L << 20);
        assertThat(sized.maxOfflineSessions()).isEqualTo(8_192);
        assertThat(sized.globalMaxQueuedBytes()).isEqualTo(64L << 20);
        BrokerSettings written = parse("max_offline_sessions 0", "global_max_queued_bytes 1000000").broker();
        assertThat(written.resolve(256L << 20).maxOfflineSessions()).as("0: no limit").isZero();
        assertThat(written.globalMaxQueuedBytes()).isEqualTo(1_000_000);
        assertThat(error("max_offline_sessions lots")).startsWith(":1: max_offline_sessions needs a whole number");
    }

    @Test
    void withoutAConfigFilePersistentSessionsExpireAfterAWeek() {
        assertThat(new ConfigParser().defaults().broker().persistentClientExpiration()).isEqualTo(7 * 24 * 3600);
    }

    @Test
    void sizeLimitsDefaultToTheHeapAndMosquittosTopicDepth() throws Exception {
        BrokerSettings b = parse("sys_interval 10").broker();
        long heap = Runtime.getRuntime().maxMemory();
        assertThat(b.maxPacketSize()).isEqualTo(BrokerSettings.heapMaxPacketSize())
                .isEqualTo((int) Math.max(256 * 1024, Math.min(BrokerSettings.PROTOCOL_MAX_PACKET_SIZE, heap / 32)));
        assertThat(b.maxTopicLevels()).isEqualTo(201);
        assertThat(b.maxRetainedBytes()).isEqualTo(Math.max(1 << 20, heap / 4));
        assertThat(b.maxRetainedMessages()).isEqualTo(Math.max(1000, heap / 4096));
        assertThat(parse("max_topic_levels 0", "max_retained_messages 0", "max_retained_bytes 0").broker())
                .extracting(BrokerSettings::maxTopicLevels, BrokerSettings::maxRetainedMessages,
                        BrokerSettings::maxRetainedBytes)
                .containsExactly(0, 0L, 0L);
    }

    @Test
    void durationsFollowMosquitto() throws Exception {
        assertThat(parse("persistent_client_expiration 14d").broker().persistentClientExpiration())
                .isEqualTo(14 * 86_400L);
        assertThat(parse("persistent_client_expiration 1w").broker().persistentClientExpiration())
                .isEqualTo(7 * 86_400L);
        assertThat(parse("persistent_client_expiration 1m").broker().persistentClientExpiration())
                .isEqualTo(30 * 86_400L);
        assertThat(parse("persistent_client_expiration 1y").broker().persistentClientExpiration())
                .isEqualTo(365 * 86_400L);
        assertThat(error("persistent_client_expiration 10")).isEqualTo(":1: persistent_client_expiration needs"
                + " a number followed by h, d, w, m or y (hours, days, weeks, months, years), got '10';"
                + " write e.g. persistent_client_expiration 14d");
        assertThat(error("persistent_client_expiration 0d")).startsWith(":1: persistent_client_expiration needs");
        assertThat(error("persistent_client_expiration xd")).startsWith(":1: persistent_client_expiration needs");
    }

    @Test
    void listenerOptionsApplyToTheMostRecentListener() throws Exception {
        VaneConfig config = parse(
                "listener 1883",
                "protocol mqtt",
                "max_connections 10",
                "listener 9001 127.0.0.1",
                "protocol websockets",
                "allow_anonymous true");
        assertThat(config.listeners()).containsExactly(
                new ListenerConfig(1883, null, Protocol.MQTT, 10),
                new ListenerConfig(9001, "127.0.0.1", Protocol.WEBSOCKETS, -1));
        assertThat(config.allowAnonymous()).isTrue();
    }

    @Test
    void portAndBindAddressMakeTheDefaultListenerWhichComesLastAsInMosquitto() throws Exception {
        VaneConfig config = parse("port 1884", "bind_address 127.0.0.1", "max_connections 5",
                "listener 9001", "protocol websockets");
        assertThat(config.listeners()).containsExactly(
                new ListenerConfig(9001, null, Protocol.WEBSOCKETS, -1),
                new ListenerConfig(1884, "127.0.0.1", Protocol.MQTT, 5));
    }

    @Test
    void explicitListenersAloneReplaceTheDefaultListener() throws Exception {
        assertThat(parse("listener 1884").listeners()).containsExactly(ListenerConfig.mqtt(1884));
    }

    @Test
    void commandLinePortReplacesTheDefaultListenersPort() throws Exception {
        Path file = write("vane.conf", "port 1884", "listener 9001");
        ConfigParser parser = new ConfigParser().withWorkingDirectory(dir).withCommandLinePort(2000);
        assertThat(parser.read(file).listeners()).containsExactly(ListenerConfig.mqtt(9001),
                ListenerConfig.mqtt(2000));
        assertThat(parser.defaults().listeners()).containsExactly(ListenerConfig.mqtt(2000), ListenerConfig.websockets(9001));
        assertThat(new ConfigParser().defaults().listeners()).isEqualTo(VaneConfig.defaults().listeners());
    }

    @Test
    void trailingCommentsAfterSingleWordValuesAreIgnored() throws Exception {
        VaneConfig config = parse("max_inflight_messages 30 # more than default", "  # indented comment",
                "listener 1884 # plain", "\tprotocol\twebsockets");
        assertThat(config.broker().maxInflightMessages()).isEqualTo(30);
        assertThat(config.listeners()).containsExactly(new ListenerConfig(1884, null, Protocol.WEBSOCKETS, -1));
    }

    @Test
    void loggingOptions() throws Exception {
        VaneConfig config = parse(
                "log_dest stdout",
                "log_dest file logs/vane log.txt",
                "log_type error",
                "log_type subscribe",
                "log_type websockets",
                "log_timestamp false",
                "log_timestamp_format %Y-%m-%dT%H:%M:%S",
                "connection_messages false");
        assertThat(config.logging()).isEqualTo(new LogSettings(EnumSet.of(Destination.STDOUT, Destination.FILE),
                dir.resolve("logs/vane log.txt"), EnumSet.of(Type.ERROR, Type.SUBSCRIBE, Type.WEBSOCKETS), false,
                "%Y-%m-%dT%H:%M:%S", false));
    }

    @Test
    void logTypeAllNoneAndLogDestNone() throws Exception {
        assertThat(parse("log_type all").logging().types()).isEqualTo(LogSettings.ALL_TYPES);
        assertThat(parse("log_type all", "log_type none", "log_type debug").logging().types())
                .containsExactly(Type.DEBUG);
        assertThat(parse("log_dest none").logging().destinations()).isEmpty();
        assertThat(parse("log_dest stderr").logging().destinations()).containsExactly(Destination.STDERR);
    }

    @Test
    void includeDirReadsConfFilesInByteOrderAndOnlyThose() throws Exception {
        write("conf.d/b.conf", "max_inflight_messages 2");
        write("conf.d/a.conf", "max_inflight_messages 1", "listener 1885");
        write("conf.d/B.conf", "max_inflight_messages 3");
        write("conf.d/c.conf.disabled", "nonsense here");
        write("conf.d/README", "nonsense here");
        VaneConfig config = parse("listener 1884", "include_dir conf.d");
        // B.conf, a.conf, b.conf: capitals first, as Mosquitto documents.
        assertThat(config.broker().maxInflightMessages()).isEqualTo(2);
        assertThat(config.listeners()).containsExactly(ListenerConfig.mqtt(1884), ListenerConfig.mqtt(1885));
    }

    @Test
    void errorsInIncludedFilesNameThatFileAndLine() throws Exception {
        write("conf.d/a.conf", "", "max_qos 7");
        Path main = write("vane.conf", "listener 1883", "include_dir conf.d");
        assertThatThrownBy(() -> new ConfigParser().withWorkingDirectory(dir).read(main))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(Path.of("conf.d", "a.conf"));
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).isEqualTo(
                            "conf.d/a.conf:2: max_qos needs a whole number from 0 to 2, got '7'; write e.g. max_qos 1");
                });
    }

    @Test
    void theSeedConfigParsesUnchanged() throws Exception {
        // The seed how-to's /etc/mosquitto/conf.d/local.conf, as written there.
        VaneConfig config = parse("persistence false", "allow_anonymous true", "password_file /etc/mosquitto/pwfile",
                "acl_file /etc/mosquitto/acl", "listener 1883", "protocol mqtt", "listener 9001", "protocol websockets");
        assertThat(config.listeners()).containsExactly(ListenerConfig.mqtt(1883), ListenerConfig.websockets(9001));
        assertThat(config.security().global()).isEqualTo(new io.vane.broker.security.SecuritySettings(true,
                Path.of("/etc/mosquitto/pwfile"), Path.of("/etc/mosquitto/acl")));
        assertThat(config.security().perListener()).isEmpty();
    }

    @Test
    void perListenerSettingsGiveEachListenerItsOwnSecurity() throws Exception {
        VaneConfig config = parse("per_listener_settings true", "listener 1883", "password_file pw",
                "allow_anonymous false", "listener 9001", "protocol websockets", "allow_anonymous true");
        assertThat(config.security().perListener()).containsOnlyKeys(1883, 9001);
        assertThat(config.security().perListener().get(1883)).isEqualTo(
                new io.vane.broker.security.SecuritySettings(false, dir.resolve("pw"), null));
        assertThat(config.security().perListener().get(9001).allowAnonymous()).isTrue();
    }

    @Test
    void tlsOptionsMakeATlsListener() throws Exception {
        VaneConfig config = parse("listener 8883", "certfile live/fullchain.pem", "keyfile live/privkey.pem",
                "cafile ca.pem", "require_certificate true", "tls_version tlsv1.3",
                "ciphers TLS_AES_128_GCM_SHA256", "listener 1883");
        assertThat(config.listeners().get(0).tls()).isEqualTo(new io.vane.transport.tls.TlsSettings(
                dir.resolve("live/fullchain.pem"), dir.resolve("live/privkey.pem"), dir.resolve("ca.pem"), true,
                "tlsv1.3", "TLS_AES_128_GCM_SHA256"));
        assertThat(config.listeners().get(1).tls()).isNull();
    }

    /** Per listener, as in Mosquitto; use_identity_as_username wins when both are true (mosquitto.conf(5)). */
    @Test
    void certificateUserNamesArePerListener() throws Exception {
        VaneConfig config = parse("listener 8883", "certfile c.pem", "keyfile k.pem", "cafile ca.pem",
                "require_certificate true", "use_identity_as_username true", "listener 8884", "certfile c.pem",
                "keyfile k.pem", "use_subject_as_username true", "listener 8885", "certfile c.pem", "keyfile k.pem",
                "use_subject_as_username true", "use_identity_as_username true", "listener 8886", "certfile c.pem",
                "keyfile k.pem");
        assertThat(config.listeners()).extracting(l -> l.tls().certificateName()).containsExactly(
                io.vane.broker.auth.CertificateName.COMMON_NAME, io.vane.broker.auth.CertificateName.SUBJECT,
                io.vane.broker.auth.CertificateName.COMMON_NAME, io.vane.broker.auth.CertificateName.NONE);
    }

    /** Where a certificate user name cannot work, a start-up line says what happens instead. */
    @Test
    void certificateUserNamesWithoutTlsOrWithoutRequireCertificateAreNoticed() throws Exception {
        VaneConfig config = parse("listener 1883", "use_identity_as_username true", "listener 8883", "certfile c.pem",
                "keyfile k.pem", "use_subject_as_username true");
        assertThat(config.app().notices()).anySatisfy(n -> assertThat(n).endsWith("vane.conf:1: use_identity_as_username"
                + " has no effect on this listener without certfile and keyfile: its clients log in with CONNECT's user"
                + " name and password")).anySatisfy(n -> assertThat(n).endsWith("vane.conf:3: use_subject_as_username"
                + " without require_certificate true: the listener asks no client for a certificate, so every client is"
                + " refused (as in Mosquitto); write require_certificate true"));
    }

    @Test
    void historyAndSimulatorOptions() throws Exception {
        VaneConfig config = parse("history_topics weather/loop, dsmr/reading", "history_hours 48", "simulate_weather true");
        assertThat(config.app().dashboard().historyTopics()).containsExactly("weather/loop", "dsmr/reading");
        assertThat(config.app().dashboard().historyHours()).isEqualTo(48);
        assertThat(config.app().dashboard().historyDays()).as("default: 13 months and a bit").isEqualTo(400);
        assertThat(parse("history_days 30").app().dashboard().historyDays()).isEqualTo(30);
        assertThat(error("# history", "history_days 0")).startsWith(":2: history_days");
        assertThat(error("history_days a year")).startsWith(":1: history_days");
        assertThat(config.app().devices().simulateWeather()).isTrue();
        assertThat(parse("# nothing").app().devices().simulateWeather()).as("off with a config file").isFalse();
        assertThat(new ConfigParser().defaults().app().devices().simulateWeather()).as("on without one").isTrue();
    }

    @Test
    void ioThreadsChoosesTheEventLoops() throws Exception {
        assertThat(parse("io_threads 3").app().ioThreads()).isEqualTo(3);
        assertThat(parse("http_threads 2").app().dashboard().httpThreads()).isEqualTo(2);
        assertThat(parse("").app().dashboard().httpThreads()).isEqualTo(1);
        assertThat(error("http_threads 0")).startsWith(":1: http_threads");
        assertThat(parse("# nothing").app().ioThreads()).as("0: one per core").isZero();
        assertThat(error("io_threads many")).startsWith(":1: io_threads");
        assertThat(error("io_threads -1")).startsWith(":1: io_threads");
    }

    @Test
    void connectTimeoutSetsTheConnectDeadline() throws Exception {
        assertThat(parse("").app().connectTimeout()).as("default").isEqualTo(20);
        assertThat(parse("connect_timeout 5").app().connectTimeout()).isEqualTo(5);
        assertThat(parse("listener 1884", "connect_timeout 3600").app().connectTimeout())
                .as("global: after a listener line too").isEqualTo(3600);
        assertThat(error("connect_timeout 0")).isEqualTo(":1: connect_timeout needs a whole number from 1 to 3600,"
                + " got '0'; write e.g. connect_timeout 20");
        assertThat(error("connect_timeout 20s")).startsWith(":1: connect_timeout needs a whole number");
        assertThat(error("connect_timeout")).isEqualTo(":1: connect_timeout needs a value; write e.g. connect_timeout 20");
    }

    @Test
    void persistenceOptionsCarryTheirMeaning() throws Exception {
        VaneConfig config = parse("persistence true", "persistence_location data", "retained_persistence false",
                "autosave_on_changes true", "autosave_interval 60", "slow_subscriber_timeout 3");
        assertThat(config.broker().persistence()).isTrue();
        assertThat(config.broker().persistenceLocation()).isEqualTo(dir.resolve("data"));
        assertThat(config.broker().retainedPersistence()).isFalse();
        assertThat(config.broker().slowSubscriberTimeout()).isEqualTo(3);
        assertThat(parse("# nothing").broker().retainedPersistence()).isTrue();
        assertThat(new ConfigParser().withWorkingDirectory(dir).defaults().broker().persistence())
                .as("on without a config file").isTrue();
        assertThat(new ConfigParser().withWorkingDirectory(dir).defaults().broker().persistenceLocation())
                .isEqualTo(dir.resolve(ConfigParser.NO_CONFIG_DATA_FOLDER));
    }
}
