package io.vane.devices.opentherm;

import io.vane.broker.Message;
import io.vane.broker.local.LocalClient;
import io.vane.devices.line.DeviceLink;
import io.vane.devices.line.LineEndpoint;
import io.vane.devices.line.LineReader;
import io.vane.devices.line.SerialLink;
import io.vane.devices.source.DeviceSource;
import io.vane.devices.source.Json;
import io.vane.protocol.Properties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenTherm Gateway (the OTGW between thermostat and boiler), one per {@code opentherm_source} line:
 * reads its line through {@link LineReader} (serial at 9600 8N1, or TCP to ser2net or OTGW-firmware's
 * port 25238), decodes frames with {@link FrameDecoder}, publishes change-only through
 * {@link OpenThermPublisher}, and takes commands on {@code PREFIX/set/NAME}: checked by
 * {@link Commands}, written to the gateway, its echo or refusal published on {@code PREFIX/result/NAME}
 * and, for a 5.0 request with a Response Topic, sent there with the request's Correlation Data. Who may
 * publish a command is the broker's ACL's business: the anonymous default may not.
 */
public final class OpenThermSource implements DeviceSource {
    private static final Logger LOG = LoggerFactory.getLogger("vane.devices");
    /** The gateway reports a frame about every second: half a minute without one is a lost gateway. */
    static final long SILENT_MILLIS = 30_000;
    /** The OTGW's serial port: 9600 8N1. */
    public static final List<SerialLink.Speed> SPEEDS = List.of(new SerialLink.Speed(9600, "8N1"));
    /** Simulated sources say so here, as the weather and P1 simulators do. */
    public static final String MARKER_TOPIC = "$SYS/broker/vane/simulated_opentherm";

    private final String name;
    private final DeviceLink link;
    private final String prefix;
    private final long refreshMillis;
    private final Clock clock;
    private final boolean simulated;
    private final PendingCommands pending = new PendingCommands();
    private final AtomicLong refusedLocally = new AtomicLong();
    private volatile String state = "starting";
    /** Whether frames are coming: commands to a gateway that is not there are refused at once. */
    private volatile boolean online;
    private volatile LocalClient client;
    private LineReader reader;

    /**
     * @param prefix the topic prefix ({@code opentherm} unless opentherm_topic_prefix says otherwise)
     * @param refreshMillis unchanged values are published again this often; 0 never
     */
    public OpenThermSource(String name, DeviceLink link, String prefix, long refreshMillis, Clock clock) {
        this(name, link, prefix, refreshMillis, clock, false);
    }

    private OpenThermSource(String name, DeviceLink link, String prefix, long refreshMillis, Clock clock,
            boolean simulated) {
        this.name = name;
        this.link = link;
        this.prefix = prefix;
        this.refreshMillis = refreshMillis;
        this.clock = clock;
        this.simulated = simulated;
    }

    /** {@code simulate_opentherm}: a {@link SimulatedGateway} on the same decoding and publishing path. */
    public static OpenThermSource simulated(String prefix, long refreshMillis, Clock clock, long periodMillis) {
        return new OpenThermSource("opentherm-simulator", new SimulatedLink(new SimulatedGateway(), periodMillis),
                prefix, refreshMillis, clock, true);
    }

    /** The gateway's line: its serial port at 9600 8N1 unless given, or TCP. */
    public static DeviceLink link(LineEndpoint endpoint) {
        return endpoint.link(SPEEDS);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Message will() {
        return Message.of(OpenThermPublisher.availabilityTopic(prefix), "offline".getBytes(StandardCharsets.UTF_8),
                1, true);
    }

    @Override
    public void start(LocalClient c) {
        this.client = c;
        if (simulated) {
            c.publish(MARKER_TOPIC, ("{\"simulated\":true,\"topics\":[\"" + prefix + "/#\"]}")
                    .getBytes(StandardCharsets.UTF_8), 1, true);
        }
        OpenThermPublisher publisher = new OpenThermPublisher(c, prefix, refreshMillis, clock);
        publisher.available(false);
        c.subscribe(prefix + "/set/+", 1, this::command);
        reader = new LineReader("vane-otgw-" + name, link, clock, new Gateway(publisher,
                OpenThermDiscovery.announcer(c, simulated ? "simulated" : name, prefix)));
        reader.start();
        LOG.info("OpenTherm gateway {}{}: reading {}; commands on {}/set/NAME.", name, simulated ? " (simulated)" : "",
                link.describe(), prefix);
    }

    /** A publish on PREFIX/set/NAME, on the client's thread. */
    private void command(Message m) {
        String topic = m.topic();
        String commandName = topic.substring(topic.lastIndexOf('/') + 1);
        String value = new String(m.payload(), StandardCharsets.UTF_8);
        String line;
        try {
            if (Commands.PING.equals(commandName)) {
                answer(commandName, m, result(commandName, null, true, Commands.pingToken(value), null));
                return;
            }
            line = Commands.line(commandName, value);
        } catch (IllegalArgumentException e) {
            refusedLocally.incrementAndGet();
            answer(commandName, m, result(commandName, null, false, "range", e.getMessage()));
            return;
        }
        if (!online) {
            answer(commandName, m, result(commandName, line, false, "offline", "the gateway is offline: "
                    + state));
            return;
        }
        PendingCommands.Pending p = new PendingCommands.Pending(commandName, line, clock.millis(), m);
        if (!pending.add(p)) {
            answer(commandName, m, result(commandName, line, false, "busy", "the gateway has not answered "
                    + PendingCommands.MAX_PENDING + " earlier commands"));
            return;
        }
        try {
            reader.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            LOG.info("OpenTherm gateway {}: sent {} for {}.", name, line, topic);
        } catch (IOException e) {
            pending.remove(p);
            answer(commandName, m, result(commandName, line, false, "offline", "the gateway is not connected ("
                    + e.getMessage() + ")"));
        }
    }

    private static Map<String, Object> result(String command, String sent, boolean ok, String error, String text) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", command);
        if (sent != null) {
            r.put("sent", sent);
        }
        r.put("ok", ok);
        r.put(ok ? "answer" : "error", error);
        if (text != null) {
            r.put("reason", text);
        }
        return r;
    }

    /** Publishes a command's result on PREFIX/result/NAME and, if it asked, on its Response Topic. */
    private void answer(String command, Message request, Map<String, Object> result) {
        LocalClient c = client;
        byte[] json = Json.write(result).getBytes(StandardCharsets.UTF_8);
        c.publish(prefix + "/result/" + command, json, 1, false);
        String responseTopic = request.properties().responseTopic();
        // The source publishes as a trusted client: never into $SYS or back into the command topics.
        if (responseTopic != null && !responseTopic.startsWith("$") && !responseTopic.startsWith(prefix + "/set/")) {
            Properties.Builder props = Properties.builder().responseTopic(null);
            if (request.properties().correlationData() != null) {
                props.correlationData(request.properties().correlationData().clone());
            }
            props.contentType("application/json");
            c.publish(new Message(responseTopic, json, 1, false, props.build(), Message.NEVER, c.clientId()));
        }
    }

    /** What the gateway's line means, on the reader's thread. */
    private final class Gateway implements LineReader.Handler {
        private final OpenThermPublisher publisher;
        private final java.util.function.Consumer<OtFrame> firstFrame;
        private final FrameDecoder decoder;
        private final TextLines lines;
        private long lastFrame;
        private long parityErrors;
        private long errorFrames;
        private long lineErrors;
        private long ignored;

        Gateway(OpenThermPublisher publisher, java.util.function.Consumer<OtFrame> firstFrame) {
            this.publisher = publisher;
            this.firstFrame = firstFrame;
            this.decoder = new FrameDecoder(publisher::value);
            this.lines = new TextLines(this::line);
        }

        @Override
        public void opened() {
            lines.reset();
            lastFrame = clock.millis();
            state = "connected to " + link.describe() + ", waiting for a frame";
            LOG.info("OpenTherm gateway {}: reading {}.", name, link.describe());
        }

        @Override
        public boolean received(byte[] bytes, int n, long openedAt, long now) {
            lines.feed(bytes, 0, n);
            if (now - lastFrame > SILENT_MILLIS) {
                online = false;
                publisher.available(false);
                state = "no frame from " + link.describe() + " for " + (now - lastFrame) / 1000 + " s";
            }
            for (PendingCommands.Pending p : pending.expired(now)) {
                answer(p.name(), (Message) p.request(), result(p.name(), p.line(), false, "timeout",
                        "no answer from the gateway in " + PendingCommands.ANSWER_MILLIS / 1000 + " s"));
            }
            publisher.tick();
            return false;
        }

        private void line(String text) {
            GatewayLine l = GatewayLine.parse(text);
            if (l instanceof GatewayLine.Frame f) {
                lastFrame = clock.millis();
                reader.healthy();
                // The state first: whoever sees the frame's values published may read the state at once.
                state = "reading " + link.describe() + ": " + (decoder.frames() + 1) + " frames, " + parityErrors
                        + " parity errors";
                online = true;
                publisher.available(true);
                firstFrame.accept(f.frame());
                decoder.frame(f.from(), f.frame());
            } else if (l instanceof GatewayLine.ParityError) {
                publisher.gateway("parity_errors", ++parityErrors);
            } else if (l instanceof GatewayLine.ErrorFrame) {
                publisher.gateway("error_frames", ++errorFrames);
            } else if (l instanceof GatewayLine.LineError e) {
                publisher.gateway("line_errors", ++lineErrors);
                publisher.gateway("last_error", "Error 0" + e.number() + ": " + e.reason());
            } else if (l instanceof GatewayLine.Answer a) {
                PendingCommands.Pending p = pending.answer(a.code());
                if (p != null) {
                    answer(p.name(), (Message) p.request(), result(p.name(), p.line(), true, a.code() + ": " + a.value(),
                            null));
                } else {
                    ignored++;
                }
            } else if (l instanceof GatewayLine.Refusal r) {
                PendingCommands.Pending p = pending.answer(r.code());
                if (p != null) {
                    answer(p.name(), (Message) p.request(), result(p.name(), p.line(), false, r.error(), r.reason()));
                } else {
                    ignored++;
                }
            } else {
                publisher.gateway("ignored_lines", ++ignored);
            }
            if (lines.overlong() > 0) {
                publisher.gateway("overlong_lines", lines.overlong());
            }
        }

        @Override
        public void lost(String reason, long delay) {
            online = false;
            publisher.available(false);
            state = "reconnecting to " + link.describe() + " in " + (delay + 999) / 1000 + " s: " + reason;
            LOG.warn("OpenTherm gateway {}: {}", name, state);
        }
    }

    @Override
    public String state() {
        return state;
    }

    /** Commands refused before reaching the gateway (unknown, out of range). */
    public long refusedLocally() {
        return refusedLocally.get();
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
        link.close();
        state = "stopped";
    }
}
