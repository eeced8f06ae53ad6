package io.vane.broker.security;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** PBKDF2 (RFC 8018 section 5.2) with HMAC-SHA512 over the password's raw bytes, as OpenSSL does it. */
final class Pbkdf2 {
    private Pbkdf2() {
    }

    static byte[] hmacSha512(byte[] password, byte[] salt, int iterations, int length)
            throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA512");
        // An empty key is legal for PBKDF2 but not for SecretKeySpec; HMAC pads keys with zeros anyway.
        mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA512"));
        byte[] out = new byte[length];
        int hLen = mac.getMacLength();
        int blocks = (length + hLen - 1) / hLen;
        for (int i = 1; i <= blocks; i++) {
            mac.update(salt);
            mac.update(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            byte[] u = mac.doFinal();
            byte[] t = u.clone();
            for (int k = 1; k < iterations; k++) {
                u = mac.doFinal(u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            System.arraycopy(t, 0, out, (i - 1) * hLen, Math.min(hLen, length - (i - 1) * hLen));
        }
        return out;
    }
}
