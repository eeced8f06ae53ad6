package io.vane.app.doctor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the doctor was asked to check.
 *
 * @param configFile the broker's config file, or null for the built-in defaults
 * @param publicUrl the URL the live page's visitors connect to (ws:// or wss://), or null
 * @param weewxConf weewx.conf, or null
 * @param dataWait how long to wait for data on the topics
 * @param timeout how long to wait for any one answer from the broker
 * @param user a user to test publishing with, when weewx.conf does not name one; or null
 * @param password that user's password
 * @param cafile CA certificates to trust for the public URL instead of the JDK's, or null
 * @param topic the topic filter to watch for data, or null to take it from weewx.conf (else weather/#)
 * @param serviceUser the account whose access to files is judged, or null for the default (see FileChecks)
 */
public record DoctorInputs(Path configFile, URI publicUrl, Path weewxConf, Duration dataWait, Duration timeout,
        String user, String password, Path cafile, String topic,
        String serviceUser) {
}
