package io.vane.broker.security;

import java.util.Locale;

/**
 * From where anonymous clients may read the home's own data, the smart meter ({@code dsmr/#}) and the
 * boiler ({@code opentherm/#}), under the secure default: energy use and heating show when someone is
 * home, unlike the weather (decision 0014). Set with {@code anonymous_home_data}.
 */
public enum HomeData {
    /** Only from loopback, private (RFC 1918, RFC 4193) and link-local addresses: the default. */
    LOCAL,
    /** From any address, as before decision 0014. */
    ANYWHERE,
    /** Never anonymously: only users from the password file, as the ACL allows. */
    NEVER;

    /** {@code local}, {@code anywhere} or {@code never}. */
    public static HomeData parse(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }

    /** Whether an anonymous client at {@code remoteAddress} may read home data. */
    public boolean allows(String remoteAddress) {
        return switch (this) {
            case ANYWHERE -> true;
            case NEVER -> false;
            case LOCAL -> HomeNetwork.isLocal(remoteAddress);
        };
    }
}
