package io.vane.app.config;

/**
 * One row of the option table: a Mosquitto option name, where it applies, and how its text is
 * parsed and stored. {@link Options} holds the table; {@link ConfigParser} only looks rows up.
 */
final class Option {

    /** Where an option applies, as in mosquitto.conf(5). */
    enum Scope {
        /** Applies to the whole broker wherever it is written. */
        GLOBAL,
        /** Applies to the most recent {@code listener}, or to the default listener before any. */
        LISTENER,
        /**
         * Applies to the most recent {@code connection} (bridge) section; written before any, it stops
         * start-up ({@link BridgeOptions} parses them).
         */
        BRIDGE,
        /** A Mosquitto option Vane recognises but does not implement yet; using it stops start-up. */
        NOT_YET,
        /**
         * A Mosquitto option that cannot apply to Vane and whose absence neither weakens security nor
         * loses data: accepted with a one-line start-up notice saying why it is ignored.
         */
        IGNORED
    }

    /** Parses an option's text and stores it in the draft. */
    @FunctionalInterface
    interface Handler {
        void apply(ConfigDraft draft, String text) throws ValueProblem;
    }

    /** Stores a parsed value into the whole-broker draft. */
    @FunctionalInterface
    interface GlobalSetter<T> {
        void set(ConfigDraft draft, T value) throws ValueProblem;
    }

    /** Stores a parsed value into the current listener section. */
    @FunctionalInterface
    interface ListenerSetter<T> {
        void set(ConfigDraft draft, ListenerDraft listener, T value) throws ValueProblem;
    }

    final String name;
    final Scope scope;
    final Handler handler;

    private Option(String name, Scope scope, Handler handler) {
        this.name = name;
        this.scope = scope;
        this.handler = handler;
    }

    static <T> Option global(String name, Value<T> value, GlobalSetter<T> setter) {
        return new Option(name, Scope.GLOBAL, (draft, text) -> setter.set(draft, value.parse(name, text)));
    }

    static <T> Option listener(String name, Value<T> value, ListenerSetter<T> setter) {
        return new Option(name, Scope.LISTENER,
                (draft, text) -> setter.set(draft, draft.current, value.parse(name, text)));
    }

    /** A bridge option: parsed into the current {@code connection} section, refused outside one. */
    static Option bridge(String name) {
        BridgeOptions.Setter setter = BridgeOptions.find(name);
        return new Option(name, Scope.BRIDGE, (draft, text) -> {
            if (draft.bridge == null) {
                throw new ValueProblem("'" + name + "' is a bridge option and belongs in a bridge section;"
                        + " write connection <name> before it, or remove it");
            }
            setter.set(draft, draft.bridge, text);
        });
    }

    /** An option accepted with the start-up notice {@code file:line: name is ignored: why}. */
    static Option ignored(String name, String why) {
        return new Option(name, Scope.IGNORED, (draft, text) -> draft.notice(name + " is ignored: " + why));
    }

    /** A known option that stops start-up with {@code 'name' is not supported yet; hint}. */
    static Option notYet(String name, String hint) {
        return new Option(name, Scope.NOT_YET, (draft, text) -> {
            throw new ValueProblem("'" + name + "' is not supported yet; " + hint);
        });
    }
}
