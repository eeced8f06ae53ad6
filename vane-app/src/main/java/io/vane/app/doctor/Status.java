package io.vane.app.doctor;

/** The outcome of one check. */
public enum Status {
    /** Works as it should. */
    PASS,
    /** Works, but will break soon or is worth a look (a certificate expiring within 14 days). */
    WARN,
    /** Broken: the live page or weewx will not work, or the setup is unsafe. */
    FAIL
}
