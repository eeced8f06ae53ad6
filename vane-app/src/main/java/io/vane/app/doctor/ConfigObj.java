package io.vane.app.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for the part of Python's ConfigObj format that weewx.conf uses: {@code [section]},
 * {@code [[subsection]]} nested by the number of brackets, {@code key = value} with single or double
 * quotes, full-line and inline {@code #} comments. Values stay strings (a {@code loop, archive} list is
 * one string). Triple-quoted multi-line values are refused with their line, not mis-read. Written here
 * because no maintained Java library reads ConfigObj (decision 0021).
 */
public final class ConfigObj {
    private ConfigObj() {
    }

    /** A line of the file that is not ConfigObj; {@link #getMessage()} is {@code file:line: problem}. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        ParseException(Path file, int line, String problem) {
            super(file + ":" + line + ": " + problem);
            this.line = line;
        }

        /** The 1-based line of the problem. */
        public int line() {
            return line;
        }
    }

    /** A value and the line it was written on, so findings can say where to change it. */
    public record Value(String text, int line) {
    }

    /** One section: its values and subsections, in file order. Names are case-sensitive, as in ConfigObj. */
    public static final class Section {
        private final String name;
        private final int line;
        private final Map<String, Value> values = new LinkedHashMap<>();
        private final Map<String, Section> sections = new LinkedHashMap<>();

        Section(String name, int line) {
            this.name = name;
            this.line = line;
        }

        /** The name between the brackets; empty for the top level. */
        public String name() {
            return name;
        }

        /** The line of the section's header; 0 for the file's top level. */
        public int line() {
            return line;
        }

        /** The value of {@code key}, or null when the section does not set it. */
        public Value value(String key) {
            return values.get(key);
        }

        /** The value's text, or {@code fallback} when the section does not set it. */
        public String get(String key, String fallback) {
            Value v = values.get(key);
            return v == null ? fallback : v.text();
        }

        /** The subsection named {@code name}, or null. */
        public Section section(String name) {
            return sections.get(name);
        }

        /** The section at the end of {@code path} (each a subsection of the one before), or null. */
        public Section find(String... path) {
            Section s = this;
            for (String p : path) {
                s = s == null ? null : s.section(p);
            }
            return s;
        }
    }

    /** Reads {@code file}; its top level is the returned section. */
    public static Section read(Path file) throws IOException, ParseException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Section root = new Section("", 0);
        List<Section> open = new ArrayList<>(List.of(root)); // open.get(depth) is the section at that depth
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                int depth = 0;
                while (depth < line.length() && line.charAt(depth) == '[') {
                    depth++;
                }
                String rest = stripComment(line.substring(depth)).strip();
                String closing = "]".repeat(depth);
                if (!rest.endsWith(closing) || rest.length() == depth) {
                    throw new ParseException(file, n, "section header " + line + " is not closed with " + closing);
                }
                String name = unquote(rest.substring(0, rest.length() - depth).strip());
                if (depth > open.size()) {
                    throw new ParseException(file, n, "section " + name + " is nested too deeply: it has " + depth
                            + " brackets but the section before has " + (open.size() - 1));
                }
                Section parent = open.get(depth - 1);
                if (parent.sections.containsKey(name)) {
                    throw new ParseException(file, n, "section " + name + " is written twice");
                }
                Section s = new Section(name, n);
                parent.sections.put(name, s);
                open.subList(depth, open.size()).clear();
                open.add(s);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ParseException(file, n, "expected 'key = value' or a [section], found: " + line);
            }
            String key = unquote(line.substring(0, eq).strip());
            String raw = line.substring(eq + 1).strip();
            if (raw.startsWith("'''") || raw.startsWith("\"\"\"")) {
                throw new ParseException(file, n, "multi-line (triple-quoted) values are not read by vane doctor");
            }
            Section current = open.get(open.size() - 1);
            if (current.values.containsKey(key)) {
                throw new ParseException(file, n, "'" + key + "' is set twice in [" + current.name + "]");
            }
            current.values.put(key, new Value(value(raw, file, n), n));
        }
        return root;
    }

    /** A value: quoted (comment after the closing quote ignored) or bare (inline comment stripped). */
    private static String value(String raw, Path file, int line) throws ParseException {
        if (raw.startsWith("\"") || raw.startsWith("'")) {
            char q = raw.charAt(0);
            int end = raw.indexOf(q, 1);
            if (end < 0) {
                throw new ParseException(file, line, "the quote " + q + " is not closed");
            }
            String after = raw.substring(end + 1).strip();
            if (!after.isEmpty() && !after.startsWith("#") && !after.startsWith(",")) {
                throw new ParseException(file, line, "unexpected text after the quoted value: " + after);
            }
            return raw.substring(1, end);
        }
        return stripComment(raw).strip();
    }

    private static String stripComment(String s) {
        int hash = s.indexOf('#');
        return hash < 0 ? s : s.substring(0, hash);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
