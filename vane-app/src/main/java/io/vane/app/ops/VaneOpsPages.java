package io.vane.app.ops;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vane.transport.ops.OpsPages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** /metrics from the registry, /health/* from {@link Health}: 200 or 503 with the reasons as JSON. */
final class VaneOpsPages implements OpsPages {
    private static final String JSON = "application/json";
    private final PrometheusRegistry registry;
    private final Health health;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    VaneOpsPages(PrometheusRegistry registry, Health health) {
        this.registry = registry;
        this.health = health;
    }

    @Override
    public Page metrics() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return new Page(200, PrometheusTextFormatWriter.CONTENT_TYPE, out.toByteArray());
    }

    @Override
    public Page live() {
        return verdict(health.liveProblems());
    }

    @Override
    public Page ready() {
        return verdict(health.readyProblems());
    }

    /** {"status":"ok"} or {"status":"fail","reasons":[...]}: a script reads the status, a person the reasons. */
    static Page verdict(List<String> problems) {
        StringBuilder b = new StringBuilder("{\"status\":\"").append(problems.isEmpty() ? "ok" : "fail").append('"');
        if (!problems.isEmpty()) {
            b.append(",\"reasons\":[");
            for (int i = 0; i < problems.size(); i++) {
                b.append(i == 0 ? "" : ",").append(quote(problems.get(i)));
            }
            b.append(']');
        }
        b.append("}\n");
        return new Page(problems.isEmpty() ? 200 : 503, JSON, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
