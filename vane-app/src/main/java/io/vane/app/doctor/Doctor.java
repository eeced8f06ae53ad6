package io.vane.app.doctor;

import io.vane.app.config.VaneConfig;
import java.io.PrintWriter;

/**
 * Runs the doctor's checks in the order a broken live page is best explained: the config, the files
 * it names, the ports, the certificates, then the running broker, the public WebSocket, data on the
 * topics, and weewx.conf's agreement with the broker. Later phases use what earlier ones found (a
 * config that does not parse leaves nothing to check against, but weewx.conf is still read).
 */
public final class Doctor {
    private final DoctorInputs inputs;
    private final PrintWriter progress;
    private final Report report = new Report();
    /** The parsed config, or null when it did not parse. */
    VaneConfig config;
    /** The parsed weewx.conf, or null when none was given or it did not parse. */
    WeewxSettings weewx;
    /** The public WebSocket URL, once a CONNECT through it worked; null before or when it did not. */
    java.net.URI pageUrl;

    private Doctor(DoctorInputs inputs, PrintWriter progress) {
        this.inputs = inputs;
        this.progress = progress;
    }

    /** Runs every check; {@code progress} gets one line per phase (stderr, so --json stays clean). */
    public static Report run(DoctorInputs inputs, PrintWriter progress) {
        Doctor d = new Doctor(inputs, progress);
        d.phase("Reading the config", () -> ConfigChecks.run(d));
        if (d.config != null) {
            d.phase("Checking files", () -> FileChecks.run(d));
            d.phase("Checking listener ports", () -> PortChecks.run(d));
            d.phase("Checking TLS certificates", () -> CertificateChecks.run(d));
            d.phase("Testing the running broker", () -> BrokerChecks.run(d));
        }
        d.phase("Testing the public WebSocket", () -> WebSocketChecks.run(d));
        if (d.config != null) {
            d.phase("Waiting up to " + inputs.dataWait().toSeconds() + " s for data", () -> DataChecks.run(d));
            if (d.weewx != null) {
                d.phase("Comparing weewx.conf with the broker", () -> WeewxChecks.run(d));
            }
        }
        return d.report;
    }

    DoctorInputs inputs() {
        return inputs;
    }

    Report report() {
        return report;
    }

    private void phase(String name, Runnable checks) {
        progress.println("vane doctor: " + name + "...");
        progress.flush();
        checks.run();
    }
}
