package io.vane.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * One hashed password in Mosquitto's formats: {@code $6$salt$hash} (SHA-512 over password then salt),
 * {@code $7$iterations$salt$hash} (PBKDF2-HMAC-SHA512, Mosquitto 2.0's default) and
 * {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash} (Mosquitto 2.1's default). Immutable.
 */
public final class PasswordHash {
    /** What mosquitto_passwd 2.0 writes: 101 iterations, a 12-byte salt, a 64-byte hash. */
    public static final int DEFAULT_ITERATIONS = 101;
    private static final int SALT_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    enum Kind { SHA512, PBKDF2, ARGON2ID }

    private final Kind kind;
    private final int iterations;
    private final int memoryKib;
    private final int parallelism;
    private final byte[] salt;
    private final byte[] hash;
    private final String encoded;

    private PasswordHash(Kind kind, int iterations, int memoryKib, int parallelism, byte[] salt, byte[] hash,
            String encoded) {
        this.kind = kind;
        this.iterations = iterations;
        this.memoryKib = memoryKib;
        this.parallelism = parallelism;
        this.salt = salt;
        this.hash = hash;
        this.encoded = encoded;
    }

    /** Parses the part after {@code user:}; throws IllegalArgumentException with a short reason. */
    public static PasswordHash parse(String text) {
        String[] f = text.split("\\$", -1);
        if (f.length < 2 || !f[0].isEmpty()) {
            throw new IllegalArgumentException("the password is not hashed");
        }
        try {
            switch (f[1]) {
                case "6" -> {
                    require(f.length == 4, "a $6$ hash has the form $6$salt$hash");
                    return new PasswordHash(Kind.SHA512, 1, 0, 0, b64(f[2]), b64(f[3]), text);
                }
                case "7" -> {
                    require(f.length == 5, "a $7$ hash has the form $7$iterations$salt$hash");
                    int iterations = Integer.parseInt(f[2]);
                    require(iterations > 0, "iterations must be positive");
                    return new PasswordHash(Kind.PBKDF2, iterations, 0, 0, b64(f[3]), b64(f[4]), text);
                }
                case "argon2id" -> {
                    require(f.length == 6 && f[2].equals("v=19"),
                            "an argon2id hash has the form $argon2id$v=19$m=M,t=T,p=P$salt$hash");
                    int m = 0;
                    int t = 0;
                    int p = 0;
                    for (String kv : f[3].split(",")) {
                        String[] pair = kv.split("=", 2);
                        int v = Integer.parseInt(pair[1]);
                        switch (pair[0]) {
                            case "m" -> m = v;
                            case "t" -> t = v;
                            case "p" -> p = v;
                            default -> throw new IllegalArgumentException("unknown argon2id parameter " + pair[0]);
                        }
                    }
                    require(m > 0 && t > 0 && p > 0, "argon2id needs m, t and p");
                    return new PasswordHash(Kind.ARGON2ID, t, m, p, b64(f[4]), b64(f[5]), text);
                }
                default -> throw new IllegalArgumentException("unknown hash type $" + f[1] + "$");
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("the hash's parameters are not numbers");
        }
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            throw new IllegalArgumentException(why);
        }
    }

    private static byte[] b64(String s) {
        // Mosquitto writes padded standard Base64; argon2 PHC strings leave the padding out.
        return Base64.getDecoder().decode(s.length() % 4 == 0 ? s : s + "=".repeat(4 - s.length() % 4));
    }

    /** A new {@code $7$} hash of the password, as mosquitto_passwd 2.0 writes by default. */
    public static PasswordHash pbkdf2(String password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = pbkdf2(password.getBytes(StandardCharsets.UTF_8), salt, iterations);
        Base64.Encoder e = Base64.getEncoder();
        return new PasswordHash(Kind.PBKDF2, iterations, 0, 0, salt, hash,
                "$7$" + iterations + "$" + e.encodeToString(salt) + "$" + e.encodeToString(hash));
    }

    /** A new {@code $6$} hash (Mosquitto 1.6 and earlier), for files older tools must read. */
    public static PasswordHash sha512(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = sha512(password.getBytes(StandardCharsets.UTF_8), salt);
        Base64.Encoder e = Base64.getEncoder();
        return new PasswordHash(Kind.SHA512, 1, 0, 0, salt, hash,
                "$6$" + e.encodeToString(salt) + "$" + e.encodeToString(hash));
    }

    /** Whether the password matches, compared in constant time. */
    public boolean matches(byte[] password) {
        byte[] candidate = switch (kind) {
            case SHA512 -> sha512(password, salt);
            case PBKDF2 -> pbkdf2(password, salt, iterations);
            case ARGON2ID -> argon2id(password);
        };
        return MessageDigest.isEqual(candidate, hash);
    }

    private static byte[] sha512(byte[] password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(password);
            md.update(salt);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 is part of every JDK", e);
        }
    }

    private static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        try {
            // Mosquitto hashes the password's bytes as they are, so derive over bytes, not chars.
            return Pbkdf2.hmacSha512(password, salt, iterations, 64);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is part of every JDK", e);
        }
    }

    private byte[] argon2id(byte[] password) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withIterations(iterations).withMemoryAsKB(memoryKib)
                .withParallelism(parallelism).withSalt(salt).build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[hash.length];
        gen.generateBytes(password, out);
        return out;
    }

    /**
     * What checking a password against this hash costs, as a key: the kind and its parameters
     * ({@code SHA512}, {@code PBKDF2/101}, {@code ARGON2ID/m=..,t=..,p=..}). Hashes with the same key
     * take the same work to check.
     */
    /**
     * Whether checking it takes long enough to hold up an event loop (argon2id, or PBKDF2 past
     * mosquitto_passwd's 101 iterations by ten times): such checks run off the loops.
     */
    boolean isSlow() {
        return kind == Kind.ARGON2ID || (kind == Kind.PBKDF2 && iterations >= 1_000);
    }

    String cost() {
        return switch (kind) {
            case SHA512 -> "SHA512";
            case PBKDF2 -> "PBKDF2/" + iterations;
            case ARGON2ID -> "ARGON2ID/m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
        };
    }

    /**
     * A hash no password matches in practice, whose check costs what checking this one does: the same
     * kind, parameters, salt and hash lengths, random bytes. Unknown users are checked against it.
     */
    PasswordHash dummyOfSameCost() {
        byte[] s = new byte[salt.length];
        byte[] h = new byte[hash.length];
        RANDOM.nextBytes(s);
        RANDOM.nextBytes(h);
        return new PasswordHash(kind, iterations, memoryKib, parallelism, s, h, "(dummy " + cost() + ")");
    }

    /** The line's text after {@code user:}. */
    public String encoded() {
        return encoded;
    }

    @Override
    public String toString() {
        return kind + " hash";
    }
}
