package io.vane.app.config;

import java.nio.file.Path;

/**
 * A configuration file that Vane refuses to start with. {@link #getMessage()} is what a user sees,
 * one {@code file:line: problem; write suggestion} line per problem of the file (the first problem
 * does not hide the others), so callers print it as it is.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String problem;
    /** Every problem of the parse in file order, this one first; one entry when there is only one. */
    private final transient java.util.List<ConfigException> all;

    /**
     * @param file the file as the user named it (an included file names itself, not the main file)
     * @param line 1-based line number, or 0 when the problem concerns the whole file
     * @param problem what is wrong and what to write instead
     */
    public ConfigException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
        this.all = java.util.List.of(this);
    }

    /** All the problems of one parse, reported together so that a file with three needs one start, not three. */
    private ConfigException(java.util.List<ConfigException> problems) {
        super(String.join("\n", problems.stream().map(Throwable::getMessage).toList()));
        ConfigException first = problems.get(0);
        this.file = first.file;
        this.line = first.line;
        this.problem = first.problem;
        this.all = java.util.List.copyOf(problems);
    }

    /** One exception for {@code problems} (not empty): the message has one {@code file:line: problem} per line. */
    static ConfigException of(java.util.List<ConfigException> problems) {
        return problems.size() == 1 ? problems.get(0) : new ConfigException(problems);
    }

    /** Every problem found, in the order of the files and lines. */
    public java.util.List<ConfigException> all() {
        return all;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number, 0 for problems with the file as a whole (e.g. it cannot be read). */
    public int line() {
        return line;
    }

    /** The message without the {@code file:line: } prefix. */
    public String problem() {
        return problem;
    }
}
