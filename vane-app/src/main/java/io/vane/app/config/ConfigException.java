package io.vane.app.config;

import java.nio.file.Path;

/**
 * A configuration file that Vane refuses to start with. {@link #getMessage()} is the whole line a
 * user sees, {@code file:line: problem; write suggestion}, so callers print it as it is.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String problem;

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
