package io.vane.app.config;

/**
 * A value the parser cannot accept, described without file and line; {@link ConfigParser} adds
 * those when it turns this into a {@link ConfigException}.
 */
final class ValueProblem extends Exception {

    private static final long serialVersionUID = 1L;

    ValueProblem(String problem) {
        super(problem, null, false, false);
    }

    /** {@code name needs <need>, got '<got>'; write e.g. name <example>}. */
    static ValueProblem needs(String name, String need, String got, String example) {
        return new ValueProblem(name + " needs " + need + ", got '" + got + "'; write e.g. " + name + " "
                + example);
    }
}
