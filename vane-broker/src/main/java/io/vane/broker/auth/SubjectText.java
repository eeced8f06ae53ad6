package io.vane.broker.auth;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate subject as Mosquitto's user names take it. Mosquitto prints the subject with OpenSSL's
 * {@code XN_FLAG_RFC2253}: the attributes in reverse order, comma-separated, OpenSSL's short names
 * ({@code CN}, {@code emailAddress} ...), RFC 2253 escapes, and bytes of non-ASCII characters as
 * {@code \XX} hex. Java's own {@code getName(RFC2253)} differs (it keeps non-ASCII characters and hex-dumps
 * {@code emailAddress}), so the DER is read here. Measured against Debian's mosquitto 2.0.11:
 * {@code emailAddress=a@b.org,CN=test cl\C3\AFent+UID=42,OU=Production,O=Server\, Ltd,...,C=GB}.
 */
final class SubjectText {
    /** OpenSSL's short names of the attributes found in subjects; others print as dotted OIDs. */
    private static final Map<String, String> SHORT_NAMES = Map.ofEntries(
            Map.entry("2.5.4.3", "CN"), Map.entry("2.5.4.6", "C"), Map.entry("2.5.4.7", "L"),
            Map.entry("2.5.4.8", "ST"), Map.entry("2.5.4.10", "O"), Map.entry("2.5.4.11", "OU"),
            Map.entry("1.2.840.113549.1.9.1", "emailAddress"), Map.entry("0.9.2342.19200300.100.1.1", "UID"),
            Map.entry("0.9.2342.19200300.100.1.25", "DC"), Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.4", "SN"), Map.entry("2.5.4.42", "GN"), Map.entry("2.5.4.12", "title"),
            Map.entry("2.5.4.9", "street"), Map.entry("2.5.4.17", "postalCode"), Map.entry("2.5.4.43", "initials"),
            Map.entry("2.5.4.44", "generationQualifier"), Map.entry("2.5.4.46", "dnQualifier"),
            Map.entry("2.5.4.65", "pseudonym"), Map.entry("2.5.4.41", "name"), Map.entry("2.5.4.15",
                    "businessCategory"), Map.entry("2.5.4.13", "description"), Map.entry("2.5.4.97",
                    "organizationIdentifier"));
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** One attribute: its OID, which RDN (SET) it is in, the value's tag and content, and its whole TLV. */
    private record Attribute(String oid, int set, int tag, byte[] content, byte[] encoded) {
    }

    private SubjectText() {
    }

    /**
     * The first CN as Mosquitto takes it (the first in DER order, its bytes as they are), or null when there is
     * none or it holds a NUL, which Mosquitto refuses.
     */
    static String commonName(X500Principal subject) {
        for (Attribute a : attributes(subject)) {
            if (a.oid.equals("2.5.4.3")) {
                for (byte b : a.content) {
                    if (b == 0) {
                        return null;
                    }
                }
                return new String(a.content, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The subject in OpenSSL's {@code XN_FLAG_RFC2253} form. */
    static String rfc2253(X500Principal subject) {
        List<Attribute> all = attributes(subject);
        StringBuilder out = new StringBuilder();
        for (int i = all.size() - 1; i >= 0; i--) {
            Attribute a = all.get(i);
            if (i < all.size() - 1) {
                out.append(all.get(i + 1).set == a.set ? '+' : ',');
            }
            String name = SHORT_NAMES.get(a.oid);
            Charset charset = charset(a.tag);
            out.append(name == null ? a.oid : name).append('=');
            if (name == null || charset == null) {
                out.append('#'); // unknown field or string type: the DER, in hex
                for (byte b : a.encoded) {
                    out.append(HEX[(b >> 4) & 15]).append(HEX[b & 15]);
                }
            } else {
                escape(new String(a.content, charset).getBytes(StandardCharsets.UTF_8), out);
            }
        }
        return out.toString();
    }

    /** The text types OpenSSL converts to UTF-8; null for others. T61 is read as Latin-1, as OpenSSL does. */
    private static Charset charset(int tag) {
        return switch (tag) {
            case 12 -> StandardCharsets.UTF_8;
            case 19, 22, 26 -> StandardCharsets.US_ASCII;
            case 20 -> StandardCharsets.ISO_8859_1;
            case 30 -> StandardCharsets.UTF_16BE;
            case 28 -> Charset.forName("UTF-32BE");
            default -> null;
        };
    }

    /** RFC 2253's escapes, plus control and non-ASCII bytes as {@code \XX} (OpenSSL's ESC_CTRL, ESC_MSB). */
    private static void escape(byte[] utf8, StringBuilder out) {
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            if (b >= 0x80 || b < 0x20 || b == 0x7f) {
                out.append('\\').append(HEX[b >> 4]).append(HEX[b & 15]);
            } else if (",+\"\\<>;".indexOf(b) >= 0 || (i == 0 && (b == '#' || b == ' '))
                    || (i == utf8.length - 1 && b == ' ')) {
                out.append('\\').append((char) b);
            } else {
                out.append((char) b);
            }
        }
    }

    /** The Name's attributes in DER order: SEQUENCE OF SET OF SEQUENCE { OID, value }. */
    private static List<Attribute> attributes(X500Principal subject) {
        Der name = new Der(subject.getEncoded(), 0);
        List<Attribute> out = new ArrayList<>();
        int set = 0;
        for (Der rdn = name.firstChild(); rdn != null; rdn = rdn.next(name)) {
            for (Der ava = rdn.firstChild(); ava != null; ava = ava.next(rdn)) {
                Der oid = ava.firstChild();
                Der value = oid.next(ava);
                out.add(new Attribute(oid.oid(), set, value.tag(), value.content(), value.encoded()));
            }
            set++;
        }
        return out;
    }

    /** One DER TLV in a byte array: just what reading a Name needs. */
    private record Der(byte[] data, int start, int contentStart, int end) {
        Der(byte[] data, int start) {
            this(data, start, contentStart(data, start), start + 1 + lengthBytes(data, start)
                    + length(data, start));
        }

        private static int lengthBytes(byte[] d, int start) {
            int first = d[start + 1] & 0xff;
            return first < 0x80 ? 1 : 1 + (first & 0x7f);
        }

        private static int length(byte[] d, int start) {
            int first = d[start + 1] & 0xff;
            if (first < 0x80) {
                return first;
            }
            int len = 0;
            for (int i = 0; i < (first & 0x7f); i++) {
                len = (len << 8) | (d[start + 2 + i] & 0xff);
            }
            return len;
        }

        private static int contentStart(byte[] d, int start) {
            return start + 1 + lengthBytes(d, start);
        }

        int tag() {
            return data[start] & 0xff;
        }

        byte[] content() {
            return java.util.Arrays.copyOfRange(data, contentStart, end);
        }

        byte[] encoded() {
            return java.util.Arrays.copyOfRange(data, start, end);
        }

        Der firstChild() {
            return contentStart < end ? new Der(data, contentStart) : null;
        }

        Der next(Der parent) {
            return end < parent.end ? new Der(data, end) : null;
        }

        String oid() {
            StringBuilder s = new StringBuilder();
            long v = 0;
            boolean first = true;
            for (int i = contentStart; i < end; i++) {
                v = (v << 7) | (data[i] & 0x7f);
                if ((data[i] & 0x80) == 0) {
                    if (first) {
                        long arc = Math.min(v / 40, 2);
                        s.append(arc).append('.').append(v - 40 * arc);
                        first = false;
                    } else {
                        s.append('.').append(v);
                    }
                    v = 0;
                }
            }
            return s.toString();
        }
    }
}
