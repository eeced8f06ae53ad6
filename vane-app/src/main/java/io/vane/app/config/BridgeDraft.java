package io.vane.app.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code connection NAME} section while it is parsed: where it was opened and the bridge option
 * lines written after it, as text until Vane parses bridge options.
 */
final class BridgeDraft {
    final String name;
    final Path file;
    final int line;
    final List<String> options = new ArrayList<>();

    BridgeDraft(String name, Path file, int line) {
        this.name = name;
        this.file = file;
        this.line = line;
    }
}
