package io.vane.app.config;

import java.util.List;
import java.util.Locale;

/**
 * How one option's text becomes a typed value. Single-word values may be followed by a {@code #}
 * comment, as Mosquitto tolerates; text values take the rest of the line, as Mosquitto does.
 *
 * @param <T> the parsed type
 */
@FunctionalInterface
interface Value<T> {

    /**
     * @param name the option name, for messages
     * @param text everything after the option name, trimmed; empty when nothing follows
     */
    T parse(String name, String text) throws ValueProblem;

    /** A whole number in [min, max]; {@code example} is shown in the suggestion. */
    static Value<Long> number(long min, long max, String example) {
        return (name, text) -> {
            String word = singleWord(name, text, example);
            String need = "a whole number from " + min + " to " + max;
            try {
                long value = Long.parseLong(word);
                if (value < min || value > max) {
                    throw ValueProblem.needs(name, need, word, example);
                }
                return value;
            } catch (NumberFormatException e) {
                throw ValueProblem.needs(name, need, word, example);
            }
        };
    }

    /** An int in [min, max]. */
    static Value<Integer> integer(int min, int max, String example) {
        Value<Long> wide = number(min, max, example);
        return (name, text) -> wide.parse(name, text).intValue();
    }

    /** Exactly {@code true} or {@code false}, as Mosquitto requires. */
    static Value<Boolean> bool(String example) {
        return (name, text) -> {
            String word = singleWord(name, text, example);
            return switch (word) {
                case "true" -> true;
                case "false" -> false;
                // The suggestion keeps what the user meant: "no" must never become "write ... true".
                default -> throw ValueProblem.needs(name, "true or false", word, meant(word).orElse(example));
            };
        };
    }

    /** The boolean a user evidently meant by yes/no, on/off, 1/0 and the like, as the word to write. */
    private static java.util.Optional<String> meant(String word) {
        return switch (word.toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "on", "1", "y", "enabled", "enable", "true" -> java.util.Optional.of("true");
            case "no", "off", "0", "n", "disabled", "disable", "false" -> java.util.Optional.of("false");
            default -> java.util.Optional.empty();
        };
    }

    /** One of the given words; returns the word. */
    static Value<String> oneOf(List<String> words, String example) {
        return (name, text) -> {
            String word = singleWord(name, text, example);
            if (!words.contains(word)) {
                throw ValueProblem.needs(name, describe(words), word, example);
            }
            return word;
        };
    }

    /** A single word such as an address. */
    static Value<String> word(String example) {
        return (name, text) -> singleWord(name, text, example);
    }

    /** The rest of the line, which may contain spaces (paths, formats). */
    static Value<String> text(String example) {
        return (name, text) -> {
            if (text.isEmpty()) {
                throw new ValueProblem(name + " needs a value; write e.g. " + name + " " + example);
            }
            return text;
        };
    }

    /**
     * Mosquitto's duration syntax for persistent_client_expiration: a positive whole number followed
     * by h, d, w, m (30 days) or y (365 days); returns seconds.
     */
    static Value<Long> duration(String example) {
        return (name, text) -> {
            String word = singleWord(name, text, example);
            String need = "a number followed by h, d, w, m or y (hours, days, weeks, months, years)";
            long unit = switch (word.charAt(word.length() - 1)) {
                case 'h' -> 3600L;
                case 'd' -> 86_400L;
                case 'w' -> 7 * 86_400L;
                case 'm' -> 30 * 86_400L;
                case 'y' -> 365 * 86_400L;
                default -> throw ValueProblem.needs(name, need, word, example);
            };
            try {
                long count = Long.parseLong(word.substring(0, word.length() - 1));
                if (count <= 0 || count > Integer.MAX_VALUE) {
                    throw ValueProblem.needs(name, need, word, example);
                }
                return count * unit;
            } catch (NumberFormatException e) {
                throw ValueProblem.needs(name, need, word, example);
            }
        };
    }

    /** The one word of a single-word value; a trailing {@code # comment} is ignored. */
    static String singleWord(String name, String text, String example) throws ValueProblem {
        String[] words = text.isEmpty() ? new String[0] : text.split("[ \t]+");
        int count = 0;
        while (count < words.length && !words[count].startsWith("#")) {
            count++;
        }
        if (count == 0) {
            throw new ValueProblem(name + " needs a value; write e.g. " + name + " " + example);
        }
        if (count > 1 && (words[0].equals("=") || words[0].equals(":")) && count == 2) {
            // "allow_anonymous = false": keep the user's value, only drop the sign.
            throw new ValueProblem(name + " takes its value after a space, without '" + words[0] + "'; write "
                    + name + " " + words[1]);
        }
        if (count > 1) {
            throw new ValueProblem(name + " takes one value, got '" + text + "'; write e.g. " + name + " "
                    + example);
        }
        return words[0];
    }

    private static String describe(List<String> words) {
        if (words.size() == 2) {
            return words.get(0) + " or " + words.get(1);
        }
        return "one of " + String.join(", ", words).toLowerCase(Locale.ROOT);
    }
}
