package io.vane.app.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings of one doctor run, in the order they were made, and how they print: grouped text for
 * people, JSON for scripts. Not thread-safe: the doctor fills it from one thread.
 */
public final class Report {

    /** Exit status when every check passed or only warned. */
    public static final int OK = 0;
    /** Exit status when any check failed. */
    public static final int FAILED = 1;

    private final List<Finding> findings = new ArrayList<>();

    void pass(String group, String what) {
        findings.add(new Finding(group, Status.PASS, what, ""));
    }

    void warn(String group, String what, String fix) {
        findings.add(new Finding(group, Status.WARN, what, fix));
    }

    void fail(String group, String what, String fix) {
        findings.add(new Finding(group, Status.FAIL, what, fix));
    }

    /** Every finding so far, in order. */
    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** Whether any check failed. */
    public boolean failed() {
        return findings.stream().anyMatch(f -> f.status() == Status.FAIL);
    }

    /** 0 when nothing failed (warnings allowed: they do not stop a page working today), else 1. */
    public int exitCode() {
        return failed() ? FAILED : OK;
    }

    /** One line per check under a heading per group, each problem followed by what to do. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<Finding>> g : grouped().entrySet()) {
            sb.append(g.getKey()).append('\n');
            for (Finding f : g.getValue()) {
                sb.append("  ").append(String.format("%-4s", f.status())).append("  ").append(f.what()).append('\n');
                if (!f.fix().isEmpty()) {
                    sb.append("        fix: ").append(f.fix()).append('\n');
                }
            }
        }
        long fails = count(Status.FAIL);
        long warns = count(Status.WARN);
        sb.append(fails == 0 && warns == 0 ? "All " + findings.size() + " checks passed."
                : fails + " failed, " + warns + " warned, " + count(Status.PASS) + " passed.").append('\n');
        return sb.toString();
    }

    /**
     * {@code {"exitCode":N,"passed":N,"warned":N,"failed":N,"checks":[{"group":..,"status":..,"what":..,"fix":..}]}}.
     * Written by hand: vane-app has no JSON library and this is the only JSON it writes (decision 0021).
     */
    public String json() {
        StringBuilder sb = new StringBuilder("{\"exitCode\":").append(exitCode())
                .append(",\"passed\":").append(count(Status.PASS))
                .append(",\"warned\":").append(count(Status.WARN))
                .append(",\"failed\":").append(count(Status.FAIL))
                .append(",\"checks\":[");
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"group\":").append(quote(f.group()))
                    .append(",\"status\":").append(quote(f.status().name()))
                    .append(",\"what\":").append(quote(f.what()))
                    .append(",\"fix\":").append(quote(f.fix())).append('}');
        }
        return sb.append("]}").toString();
    }

    private Map<String, List<Finding>> grouped() {
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        for (Finding f : findings) {
            groups.computeIfAbsent(f.group(), k -> new ArrayList<>()).add(f);
        }
        return groups;
    }

    private long count(Status s) {
        return findings.stream().filter(f -> f.status() == s).count();
    }

    /** A JSON string literal (RFC 8259 section 7): quote, backslash and control characters escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
