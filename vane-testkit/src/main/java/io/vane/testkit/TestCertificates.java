package io.vane.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test CA and certificates made with Debian's openssl, in a folder: {@code ca.pem}, and for each
 * name {@code NAME.pem} (certificate) and {@code NAME.key}. Server certificates are for localhost and
 * 127.0.0.1.
 */
public final class TestCertificates {
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates create(Path dir) {
        TestCertificates c = new TestCertificates(dir);
        c.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days",
                "2", "-subj", "/CN=Vane Test CA");
        return c;
    }

    public Path dir() {
        return dir;
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /**
     * Makes {@code NAME.pem}/{@code NAME.key} signed by the CA. {@code keyKind}: "rsa-pkcs1", "rsa-pkcs8" or
     * "ec" (SEC1). Returns the certificate's serial as hex.
     */
    public String issue(String name, String keyKind, boolean server) {
        return issueBy("ca", name, keyKind, server);
    }

    /**
     * Makes an intermediate CA {@code NAME.pem}/{@code NAME.key} signed by the root, as Let's Encrypt's
     * chain.pem holds; certificates it signs come from {@link #issueBy}.
     */
    public void intermediate(String name) {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=Vane Test Intermediate");
        try {
            Files.writeString(dir.resolve(name + ".ext"), "basicConstraints=critical,CA:TRUE\n"
                    + "keyUsage=critical,keyCertSign,cRLSign\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    /** Like {@link #issue}, signed by {@code issuer} ("ca" or an {@link #intermediate}). */
    public String issueBy(String issuer, String name, String keyKind, boolean server) {
        switch (keyKind) {
            case "rsa-pkcs1" -> openssl("genrsa", "-traditional", "-out", name + ".key", "2048");
            case "rsa-pkcs8" -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                    name + ".key");
            case "ec" -> openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key");
            default -> throw new IllegalArgumentException(keyKind);
        }
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + (server ? "localhost" : name));
        try {
            Files.writeString(dir.resolve(name + ".ext"), server
                    ? "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                    : "extendedKeyUsage=clientAuth\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        openssl("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
        String serial = openssl("x509", "-in", name + ".pem", "-noout", "-serial").strip();
        return serial.substring(serial.indexOf('=') + 1).toLowerCase().replaceFirst("^0+", "");
    }

    /**
     * Makes a client certificate {@code NAME.pem}/{@code NAME.key} (EC) with this subject, in openssl's
     * {@code -subj} form read as UTF-8 ({@code /C=GB/O=Example/CN=a client+UID=42}).
     */
    public void issueWithSubject(String name, String subject) {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key");
        openssl("req", "-new", "-utf8", "-key", name + ".key", "-out", name + ".csr", "-subj", subject);
        try {
            Files.writeString(dir.resolve(name + ".ext"), "extendedKeyUsage=clientAuth\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    /** Makes {@code NAME} a PEM CRL signed by the CA, revoking nothing, as {@code openssl ca -gencrl} writes it. */
    public Path crl(String name) {
        try {
            Files.writeString(dir.resolve("ca.cnf"), "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\n"
                    + "crlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 2\n");
            Files.writeString(dir.resolve("index.txt"), "");
            Files.writeString(dir.resolve("crlnumber"), "01\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        openssl("ca", "-gencrl", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.pem", "-out", name);
        return dir.resolve(name);
    }

    private String openssl(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "/usr/bin/openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("openssl is not installed; install it with: sudo apt-get install -y openssl",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
