package io.vane.transport.http;

/** Where {@code GET /api/history?topic=...&since=...} gets its answer (the dashboard's history store). */
@FunctionalInterface
public interface HistorySource {

    /** The topic's history since the time as JSON, or null when the topic's history is not kept. */
    String historyJson(String topic, long sinceMillis);
}
