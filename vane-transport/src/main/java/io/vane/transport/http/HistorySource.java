package io.vane.transport.http;

/** Where {@code GET /api/history?topic=...&since=...} gets its answer (the dashboard's history store). */
@FunctionalInterface
public interface HistorySource {

    /**
     * The topic's history since the time as UTF-8 JSON, or null when the topic's history is not kept.
     * Called on an HTTP worker, never on an event loop. The array may be shared with other answers
     * (a cache): it is only read.
     */
    byte[] historyJson(String topic, long sinceMillis);
}
