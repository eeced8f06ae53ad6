package io.vane.transport.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The listener's one key and chain, handed to the TLS engine as they are. Netty's own path copies them
 * into a password-protected PKCS#12 key store first (PBE encryption, MAC, decryption: three times
 * 10,000 hash iterations per certificate load), which is most of the seconds a TLS listener took to
 * come up on a loaded machine (issue 11); nothing here needs a key store.
 */
final class OneKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "vane";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    OneKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain.clone();
    }

    private String aliasFor(String keyType) {
        if (keyType == null) {
            return null;
        }
        String alg = key.getAlgorithm();
        boolean matches = keyType.equalsIgnoreCase(alg)
                || (alg.equals("EC") && keyType.equals("EC_EC"))
                || (alg.equals("RSA") && (keyType.equals("EC_RSA") || keyType.equals("DHE_RSA")
                        || keyType.equals("ECDHE_RSA")));
        return matches ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String a = aliasFor(keyType);
        return a == null ? null : new String[] {a};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
