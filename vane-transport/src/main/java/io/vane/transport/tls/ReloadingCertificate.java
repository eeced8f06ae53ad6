package io.vane.transport.tls;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's certificate that follows its files: when certfile or keyfile change on disk (a certbot
 * renewal), the next connections get the new certificate, without a restart and without touching
 * connections already open. A broken new file keeps the old certificate and says why, once per change.
 *
 * <p>Thread-safe: {@link #current()} is read on every accept; {@link #checkForChanges()} runs on one
 * scheduler thread.
 */
public final class ReloadingCertificate {
    private static final Logger LOG = LoggerFactory.getLogger("vane.tls");

    private final TlsSettings settings;
    private final AtomicReference<SslContext> current = new AtomicReference<>();
    /** The leaf certificate's notAfter of the certificate in use, for /metrics. */
    private volatile java.time.Instant notAfter;
    private String lastSeen;

    /** Loads the files now; throws when they cannot be used, so start-up stops. */
    public ReloadingCertificate(TlsSettings settings) throws ServerCertificate.CertificateProblem {
        this.settings = settings;
        ServerCertificate.Loaded loaded = ServerCertificate.load(settings);
        current.set(loaded.context());
        notAfter = loaded.leaf().getNotAfter().toInstant();
        lastSeen = stamp();
        LOG.info("TLS certificate for {} from {} (serial {}, valid until {}).", subject(loaded), settings.certfile(),
                loaded.leaf().getSerialNumber().toString(16), loaded.leaf().getNotAfter().toInstant());
    }

    private static String subject(ServerCertificate.Loaded loaded) {
        return loaded.leaf().getSubjectX500Principal().getName();
    }

    public SslContext current() {
        return current.get();
    }

    /** When the certificate in use (not the file on disk, if that did not load) stops being valid. */
    public java.time.Instant notAfter() {
        return notAfter;
    }

    /** Reloads when either file changed since the last look. Returns true when a new certificate is in use. */
    public boolean checkForChanges() {
        String now = stamp();
        if (now.equals(lastSeen)) {
            return false;
        }
        lastSeen = now;
        try {
            ServerCertificate.Loaded loaded = ServerCertificate.load(settings);
            current.set(loaded.context());
            notAfter = loaded.leaf().getNotAfter().toInstant();
            LOG.info("TLS certificate reloaded from {} (serial {}, valid until {}); new connections use it.",
                    settings.certfile(), loaded.leaf().getSerialNumber().toString(16),
                    loaded.leaf().getNotAfter().toInstant());
            return true;
        } catch (ServerCertificate.CertificateProblem e) {
            LOG.error("Keeping the previous TLS certificate: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Size and modification time of the certificate, key and CRL files: a change in any means "look again",
     * so a new CRL refuses the certificates it revokes from the next connection on.
     */
    private String stamp() {
        return stamp(settings.certfile()) + "|" + stamp(settings.keyfile())
                + (settings.crlfile() == null ? "" : "|" + stamp(settings.crlfile()));
    }

    private static String stamp(Path p) {
        try {
            return Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
        } catch (java.io.IOException e) {
            return "missing";
        }
    }
}
