package io.vane.app.doctor;

import java.util.Objects;

/**
 * One line of the doctor's report.
 *
 * @param group the part of the setup checked: config, files, ports, tls, broker, websocket, data, weewx
 * @param status PASS, WARN or FAIL
 * @param what what was checked and what was found, in plain words
 * @param fix what to do about it; empty for a pass
 */
public record Finding(String group, Status status, String what, String fix) {

    public Finding {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(what, "what");
        fix = fix == null ? "" : fix;
    }
}
