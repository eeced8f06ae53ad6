package io.vane.transport.ops;

/**
 * What the operator's pages say, made by whoever assembles Vane (the transport only serves them):
 * {@code /metrics} in Prometheus text format and the two health checks. Implementations are
 * thread-safe; {@link #live()} and {@link #ready()} are called on an event loop and must only read
 * state, never wait.
 */
public interface OpsPages {

    /** One page: HTTP status, content type and body. */
    record Page(int status, String contentType, byte[] body) {
    }

    /** {@code /metrics}; called on an HTTP worker, as it grows with the number of sessions. */
    Page metrics();

    /** {@code /health/live}: 200 while the process does its work (every event loop answers), else 503. */
    Page live();

    /** {@code /health/ready}: 200 while it should get traffic (listening, store writable, not stopping), else 503. */
    Page ready();
}
