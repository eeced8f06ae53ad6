package io.vane.app.doctor;

import io.vane.protocol.ReasonCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocket;

/**
 * The live page's way in, from outside: the public URL's host name resolves, its certificate (wss) is
 * in date, trusted and names that host (the seed's CAUTION: "it is critically important these two
 * match"), and a WebSocket upgrade plus an MQTT CONNECT as the page's user succeed.
 */
final class WebSocketChecks {
    static final String GROUP = "websocket";

    private WebSocketChecks() {
    }

    /** The URL's port, or the scheme's default (ws 80, wss 443). */
    static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "wss".equals(url.getScheme()) ? 443 : 80;
    }

    /** The URL to test: --public-url, else the one Belchertown's settings make, else null. */
    static URI url(Doctor d) {
        if (d.inputs().publicUrl() != null) {
            return d.inputs().publicUrl();
        }
        return d.weewx != null && d.weewx.page() != null && d.weewx.page().port() > 0 ? d.weewx.page().url() : null;
    }

    static void run(Doctor d) {
        Report r = d.report();
        URI url = url(d);
        if (url == null) {
            r.warn(GROUP, "no public URL given, so the page's WebSocket was not tested from outside",
                    "give --public-url ws://HOST:9001/mqtt (wss:// with TLS), or --weewx-conf with Belchertown's settings");
            return;
        }
        String host = url.getHost();
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            r.pass(GROUP, host + " resolves to " + Arrays.stream(all).map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(", ")));
        } catch (UnknownHostException e) {
            r.fail(GROUP, "the page's host name " + host + " does not resolve",
                    "add a DNS record for " + host + " (or use this machine's IP address in mqtt_websockets_host and"
                    + " the URL): the name must resolve on every visitor's machine");
            return;
        }
        Duration timeout = d.inputs().timeout();
        if ("wss".equals(url.getScheme()) && !certificate(r, url, timeout, d)) {
            return;
        }
        String user = d.weewx != null && d.weewx.page() != null ? d.weewx.page().username() : null;
        String password = user == null ? null : d.weewx.page().password();
        String as = user == null ? "anonymously" : "as " + user;
        try (MqttProbe p = new MqttProbe(WebSocketWire.open(url, Trust.of(d.inputs().cafile()), timeout), timeout)) {
            int code = p.connect(user, password);
            if (code == 0) {
                r.pass(GROUP, "the page's WebSocket at " + url + " works: upgrade and MQTT CONNECT " + as + " accepted");
                d.pageUrl = url;
            } else {
                r.fail(GROUP, "the WebSocket at " + url + " opens, but the broker refuses the page's CONNECT " + as
                        + " (" + (code < 0 ? "no answer" : ReasonCode.describe(code)) + ")",
                        user == null ? "let anonymous clients connect and read the weather topic: allow_anonymous true"
                                + " with an acl_file whose first rules say topic read weather/#"
                                : "make mqtt_websockets_username/password in weewx.conf match the password file");
            }
        } catch (IOException e) {
            r.fail(GROUP, "cannot open the WebSocket at " + url + ": " + e.getMessage(),
                    "check that a websockets listener is on port " + port(url) + " (listener " + port(url)
                    + " then protocol websockets), that the firewall and router let " + port(url)
                    + " through, and that a reverse proxy passes the Upgrade header (docs/reverse-proxy.md)");
        }
    }

    /** Checks the certificate the URL serves; false when the page cannot connect because of it. */
    private static boolean certificate(Report r, URI url, Duration timeout, Doctor d) {
        String host = url.getHost();
        X509Certificate cert;
        try {
            cert = served(host, port(url), timeout);
        } catch (IOException e) {
            r.fail(GROUP, "no TLS at " + host + ":" + port(url) + ": " + e.getMessage(),
                    "the page uses wss (mqtt_websockets_ssl = 1), so that port needs a TLS websockets listener"
                    + " (certfile and keyfile under it), or set mqtt_websockets_ssl = 0");
            return false;
        }
        String name = "the certificate served at " + host + ":" + port(url);
        CertificateChecks.validity(r, GROUP, name, cert, Instant.now());
        if (!CertificateNames.covers(cert, host)) {
            r.fail(GROUP, name + " is for " + String.join(", ", CertificateNames.of(cert)) + ", not " + host
                    + ": browsers refuse it", CertificateChecks.hostFix(host, CertificateNames.of(cert)));
            return false;
        }
        r.pass(GROUP, name + " is valid for " + host);
        try {
            SocketWire.open(host, port(url), Trust.of(d.inputs().cafile()), true, timeout).close();
            r.pass(GROUP, name + " is trusted" + (d.inputs().cafile() == null ? "" : " by " + d.inputs().cafile()));
            return true;
        } catch (IOException e) {
            r.fail(GROUP, name + " is not trusted: " + e.getMessage(),
                    "use a certificate from a public CA (certbot), or import the home CA (vane cert's ca.pem) into"
                    + " each visitor's browser; check with it: --cafile ca.pem");
            return false;
        }
    }

    /** The leaf certificate the server sends, whatever it is (judged by the caller). */
    private static X509Certificate served(String host, int port, Duration timeout) throws IOException {
        java.net.Socket plain = new java.net.Socket();
        try {
            plain.connect(new java.net.InetSocketAddress(host, port), (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            try (SSLSocket s = (SSLSocket) Trust.acceptingAny().getSocketFactory().createSocket(plain, host, port, true)) {
                s.startHandshake();
                return (X509Certificate) s.getSession().getPeerCertificates()[0];
            }
        } finally {
            plain.close();
        }
    }
}
