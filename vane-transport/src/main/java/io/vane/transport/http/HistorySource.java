package io.vane.transport.http;

import java.util.List;

/**
 * Where {@code GET /api/history?topic=...&since=...} and {@code ...&range=day|week|month|year} get their
 * answer (the dashboard's history store).
 */
@FunctionalInterface
public interface HistorySource {
    /** The values of {@code range} the API accepts; HttpEndpoints refuses others with 400. */
    List<String> RANGES = List.of("day", "week", "month", "year");

    /**
     * The topic's history as UTF-8 JSON, or null when the topic's history is not kept: since the time
     * when {@code range} is null (as before ranges), else over the range (one of {@link #RANGES}).
     * Called on an HTTP worker, never on an event loop. The array may be shared with other answers
     * (a cache): it is only read.
     */
    byte[] historyJson(String topic, long sinceMillis, String range);
}
