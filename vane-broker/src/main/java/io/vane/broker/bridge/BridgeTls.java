package io.vane.broker.bridge;

import java.nio.file.Path;
import java.util.List;

/**
 * A bridge's TLS options, as in mosquitto.conf(5): the CA to check the remote's certificate with, this
 * side's own certificate for brokers that ask for one, and whether the host name check is skipped.
 *
 * @param cafile {@code bridge_cafile}, or null
 * @param capath {@code bridge_capath}: a folder of CA certificates, or null
 * @param certfile {@code bridge_certfile}, or null
 * @param keyfile {@code bridge_keyfile}, or null
 * @param insecure {@code bridge_insecure}: the remote's host name is not checked against its certificate
 * @param version {@code bridge_tls_version} (tlsv1.2, tlsv1.3), or null for the JDK's choice
 * @param alpn {@code bridge_alpn} protocol names, possibly empty
 */
public record BridgeTls(Path cafile, Path capath, Path certfile, Path keyfile, boolean insecure, String version,
        List<String> alpn) {
}
