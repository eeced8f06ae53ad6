package io.vane.app.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vane cert}: a local certificate authority and a server certificate for the names and
 * addresses a LAN uses, so TLS works at home without a public domain.
 */
@Command(name = "cert", mixinStandardHelpOptions = true,
        description = "Make a local CA (kept and reused in the folder) and a server certificate for the given"
                + " host names and IP addresses, then print how to use and trust them.",
        footer = {"", "Example:", "  vane cert --dir /etc/vane/tls weather.local 192.168.1.20"})
final class CertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Folder for ca.pem, ca.key, server.pem and server.key (default: the current folder).")
    Path dir;

    @Option(names = "--days", defaultValue = "825", description = "Server certificate lifetime (default ${DEFAULT-VALUE}).")
    int days;

    @Parameters(arity = "1..*", paramLabel = "NAME_OR_IP", description = "Host names and IP addresses to cover.")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(dir);
        Path caCert = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        KeyPair ca;
        X509Certificate caCertificate;
        if (Files.exists(caCert) && Files.exists(caKey)) {
            caCertificate = io.vane.transport.tls.PemFiles.certificate(caCert);
            ca = new KeyPair(caCertificate.getPublicKey(), io.vane.transport.tls.PemFiles.privateKey(caKey));
            out.println("Using the existing CA in " + caCert);
        } else {
            ca = ecKeys();
            X500Name caName = new X500Name("CN=Vane local CA " + Instant.now().getEpochSecond());
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(Instant.now()
                    .minus(Duration.ofMinutes(5))), Date.from(Instant.now().plus(Duration.ofDays(3650))), caName,
                    ca.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caCertificate = sign(b, ca);
            write(caCert, caCertificate, false);
            write(caKey, ca.getPrivate(), true);
            out.println("Made a new CA: " + caCert + " (keep " + caKey + " private)");
        }
        KeyPair server = ecKeys();
        X500Name subject = new X500Name("CN=" + names.get(0));
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                Date.from(Instant.now().minus(Duration.ofMinutes(5))), Date.from(Instant.now().plus(Duration.ofDays(days))),
                subject, server.getPublic());
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            boolean ip = n.matches("[0-9.]+") || n.contains(":");
            if (ip) {
                InetAddress.getByName(n); // refuses a malformed address before it goes in a certificate
            }
            sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate));
        X509Certificate cert = sign(b, ca);
        Path serverCert = dir.resolve("server.pem");
        Path serverKey = dir.resolve("server.key");
        write(serverCert, cert, false);
        write(serverKey, server.getPrivate(), true);
        out.println("Made " + serverCert + " and " + serverKey + " for " + String.join(", ", names)
                + ", valid " + days + " days.");
        out.println();
        out.println("Use them in Vane's config:");
        out.println("  listener 8883");
        out.println("  certfile " + serverCert.toAbsolutePath());
        out.println("  keyfile " + serverKey.toAbsolutePath());
        out.println();
        out.println("Trust the CA on each client:");
        out.println("  mosquitto_sub --cafile " + caCert.toAbsolutePath() + " -h " + names.get(0) + " -p 8883 -t '#'");
        out.println("  Debian/Ubuntu: sudo cp " + caCert.toAbsolutePath()
                + " /usr/local/share/ca-certificates/vane-ca.crt && sudo update-ca-certificates");
        out.println("  Browsers: import " + caCert.toAbsolutePath() + " as a certificate authority.");
        return 0;
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(128, new SecureRandom());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static void write(Path file, Object pemObject, boolean secret) throws Exception {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            // Keys as PKCS#8 ("BEGIN PRIVATE KEY"), which every TLS stack reads.
            pem.writeObject(pemObject instanceof java.security.PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : pemObject);
        }
        if (secret) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
