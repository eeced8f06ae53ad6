package io.vane.transport.http;

import io.vane.broker.Broker;
import io.vane.broker.BrokerStats;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The JSON behind {@code /api/status}: what is running and how busy it is, nothing secret (no client
 * ids, topics or addresses), since any browser that reaches the port may read it. Thread-safe.
 */
public final class StatusReport {
    /** One bound listener as the report shows it. */
    public record Listener(int port, String protocol) {
    }

    private final Broker broker;
    private final String version;
    private final LongSupplier clockMillis;
    private final long startedMillis;
    private final Supplier<List<Listener>> listeners;

    public StatusReport(Broker broker, String version, LongSupplier clockMillis, Supplier<List<Listener>> listeners) {
        this.broker = broker;
        this.version = version;
        this.clockMillis = clockMillis;
        this.startedMillis = clockMillis.getAsLong();
        this.listeners = listeners;
    }

    public String json() {
        BrokerStats s = broker.stats();
        StringBuilder b = new StringBuilder(512);
        b.append("{\"version\":").append(quote(version));
        b.append(",\"uptimeSeconds\":").append(Math.max(0, (clockMillis.getAsLong() - startedMillis) / 1000));
        b.append(",\"listeners\":[");
        List<Listener> ls = listeners.get();
        for (int i = 0; i < ls.size(); i++) {
            Listener l = ls.get(i);
            b.append(i == 0 ? "" : ",").append("{\"port\":").append(l.port()).append(",\"protocol\":")
                    .append(quote(l.protocol())).append('}');
        }
        b.append("],\"clients\":{\"connected\":").append(s.clientsConnected())
                .append(",\"maximum\":").append(s.clientsMaximum())
                .append(",\"sessions\":").append(broker.sessionCount()).append('}');
        b.append(",\"messages\":{\"received\":").append(s.publishReceived())
                .append(",\"sent\":").append(s.publishSent())
                .append(",\"dropped\":").append(s.messagesDropped())
                .append(",\"retained\":").append(broker.retainedCount()).append('}');
        b.append(",\"packets\":{\"received\":").append(s.messagesReceived())
                .append(",\"sent\":").append(s.messagesSent()).append('}');
        b.append(",\"bytes\":{\"received\":").append(s.bytesReceived())
                .append(",\"sent\":").append(s.bytesSent()).append('}');
        b.append(",\"subscriptions\":").append(broker.subscriptionCount());
        // Bridges by their config names; no addresses (the page is public).
        b.append(",\"bridges\":[");
        List<io.vane.broker.bridge.Bridge> bridges = broker.bridges();
        for (int i = 0; i < bridges.size(); i++) {
            io.vane.broker.bridge.Bridge br = bridges.get(i);
            io.vane.broker.bridge.BridgeStats st = br.stats();
            b.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(br.settings().name()))
                    .append(",\"state\":").append(quote(st.state().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(",\"connects\":").append(st.connects())
                    .append(",\"messagesReceived\":").append(st.messagesIn())
                    .append(",\"messagesSent\":").append(st.messagesOut())
                    .append(",\"bytesReceived\":").append(st.bytesIn())
                    .append(",\"bytesSent\":").append(st.bytesOut())
                    .append(",\"queued\":").append(br.waiting())
                    .append(",\"dropped\":").append(br.dropped())
                    .append(",\"lastConnect\":").append(st.lastConnectMillis() / 1000)
                    .append(",\"lastMessage\":").append(st.lastMessageMillis() / 1000).append('}');
        }
        b.append(']');
        return b.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
