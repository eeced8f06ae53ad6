package io.vane.devices.opentherm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Commands sent to the gateway and not yet answered, oldest first, matched with its echoes and
 * refusals: an echo or a refusal naming a code answers the oldest command with that code; a bare
 * refusal ({@code NG}) the oldest of all. A command unanswered for {@link #ANSWER_MILLIS} is given up.
 *
 * <p>Thread-safe: commands are added on the client's thread and answered on the reader's.
 */
final class PendingCommands {
    /** The gateway answers within a few frames; five seconds is a lost command. */
    static final long ANSWER_MILLIS = 5_000;
    /** More unanswered commands than this are refused rather than queued: the gateway is not listening. */
    static final int MAX_PENDING = 16;

    /** A command on its way. {@code request} is whatever the source needs to answer its sender. */
    record Pending(String name, String line, long sentAtMillis, Object request) {
        String code() {
            return line.substring(0, 2);
        }
    }

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    /** Adds a command; false when too many are waiting already. */
    synchronized boolean add(Pending p) {
        if (pending.size() >= MAX_PENDING) {
            return false;
        }
        pending.add(p);
        return true;
    }

    /** Removes a command that could not be sent. */
    synchronized void remove(Pending p) {
        pending.remove(p);
    }

    /** The command an answer with {@code code} (null: none given) belongs to, removed; or null. */
    synchronized Pending answer(String code) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (code == null || p.code().equals(code)) {
                it.remove();
                return p;
            }
        }
        return null;
    }

    /** Commands waiting longer than {@link #ANSWER_MILLIS}, removed. */
    synchronized List<Pending> expired(long now) {
        List<Pending> out = new ArrayList<>();
        while (!pending.isEmpty() && now - pending.peek().sentAtMillis() >= ANSWER_MILLIS) {
            out.add(pending.poll());
        }
        return out;
    }
}
