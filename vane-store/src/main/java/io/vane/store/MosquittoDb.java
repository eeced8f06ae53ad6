package io.vane.store;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads Mosquitto's own persistence file ({@code mosquitto.db}, format versions 5 and 6: Mosquitto 1.6 and
 * 2.0), learnt from Mosquitto's persist_read*.c and persist_write*.c. Nothing here trusts a length: each is
 * checked against its chunk, and each chunk against the file.
 *
 * <p>The layout: 15 bytes of magic ({@code 00 B5 00 "mosquitto db"}), a 4-byte CRC that Mosquitto writes
 * as 0 and never checks (so neither does Vane), the format version (4 bytes), then chunks of a 4-byte type
 * and a 4-byte length followed by that many bytes. 16- and 32-bit fields are big-endian. The 64-bit fields
 * (ids and times) are written in the writing machine's byte order, which is little-endian on the x86 and
 * ARM machines Mosquitto runs on; the configuration chunk's last id tells a big-endian writer apart. The
 * fixed part of each chunk is a C struct written as it is, padding included, so its size is the struct's.
 *
 * <p>A file that is not a mosquitto.db, of another version, or damaged (a length past its chunk or past
 * the file, or a first chunk that is not the configuration chunk Mosquitto always writes first) is refused whole with {@link Damaged}: its later chunks may hold what its earlier ones refer
 * to, and a partial import would be a state Mosquitto never had.
 */
final class MosquittoDb {
    static final byte[] MAGIC = {0x00, (byte) 0xB5, 0x00, 'm', 'o', 's', 'q', 'u', 'i', 't', 't', 'o', ' ', 'd', 'b'};
    static final int CFG = 1;
    static final int BASE_MSG = 2;
    static final int CLIENT_MSG = 3;
    static final int RETAIN = 4;
    static final int SUB = 5;
    static final int CLIENT = 6;

    /** sizeof the fixed structs as the writer lays them out (8-byte alignment where an int64 is in them). */
    private static final int CFG_SIZE = 16;
    private static final int CLIENT_SIZE_V6 = 24;
    private static final int CLIENT_SIZE_V5 = 16;
    private static final int CLIENT_MSG_SIZE = 16;
    private static final int BASE_MSG_SIZE = 32;
    private static final int SUB_SIZE = 12;
    private static final int RETAIN_SIZE = 8;
    private static final int HEADER = MAGIC.length + 4 + 4;
    /** MQTT's largest payload (Mosquitto's MQTT_MAX_PAYLOAD). */
    private static final long MAX_PAYLOAD = 268_435_455L;

    /** A message as Mosquitto stored it once for every client that has it. */
    record BaseMsg(long storeId, long expiryTime, String sourceId, String topic, int qos, boolean retain,
            byte[] payload, byte[] properties) {
    }

    /** A session that outlives its connection (Mosquitto writes only clean_start=false clients). */
    record Client(String clientId, long sessionExpiryTime, long sessionExpiryInterval, int lastMid, String username) {
    }

    /** One message in one client's in-flight or queued list. */
    record ClientMsg(String clientId, long storeId, int mid, int qos, int state, boolean retain, boolean dup,
            boolean outgoing, int subscriptionId) {
    }

    record Sub(String clientId, String filter, int qos, int options, int identifier) {
    }

    /** Everything a file holds, in file order, plus what could not be read of single records. */
    record Contents(int version, boolean shutdown, Map<Long, BaseMsg> messages, List<Client> clients,
            List<ClientMsg> clientMsgs, List<Sub> subs, List<Long> retained, Map<Integer, Integer> unknownChunks,
            List<String> unreadable) {
    }

    /** The file as a whole cannot be read. */
    static final class Damaged extends IOException {
        Damaged(String message) {
            super(message);
        }
    }

    // MQTT state values of a client message (Mosquitto's enum mosquitto_msg_state).
    static final int PUBLISH_QOS0 = 1;
    static final int PUBLISH_QOS1 = 2;
    static final int WAIT_FOR_PUBACK = 3;
    static final int PUBLISH_QOS2 = 4;
    static final int WAIT_FOR_PUBREC = 5;
    static final int RESEND_PUBREL = 6;
    static final int WAIT_FOR_PUBREL = 7;
    static final int WAIT_FOR_PUBCOMP = 9;
    static final int SEND_PUBREC = 10;
    static final int QUEUED = 11;

    private final ByteBuffer file;
    private int version;
    private ByteOrder longOrder = ByteOrder.LITTLE_ENDIAN;

    private MosquittoDb(ByteBuffer file) {
        this.file = file.slice().order(ByteOrder.BIG_ENDIAN);
    }

    /** Reads the whole file; {@code file} is only read. */
    static Contents read(ByteBuffer file) throws Damaged {
        return new MosquittoDb(file).readAll();
    }

    private Contents readAll() throws Damaged {
        if (file.remaining() < HEADER) {
            throw new Damaged(file.remaining() == 0 ? "the file is empty"
                    : "the file is " + file.remaining() + " bytes, shorter than the " + HEADER + "-byte header");
        }
        byte[] magic = new byte[MAGIC.length];
        file.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new Damaged("it does not start with Mosquitto's magic bytes: not a mosquitto.db");
        }
        file.getInt(); // CRC: always 0, never checked by Mosquitto
        version = file.getInt();
        if (version != 6 && version != 5) {
            throw new Damaged("format version " + Integer.toUnsignedString(version)
                    + "; Vane reads versions 5 and 6 (Mosquitto 1.6 and 2.0)");
        }
        Map<Long, BaseMsg> messages = new HashMap<>();
        List<Client> clients = new ArrayList<>();
        List<ClientMsg> clientMsgs = new ArrayList<>();
        List<Sub> subs = new ArrayList<>();
        List<Long> retained = new ArrayList<>();
        Map<Integer, Integer> unknown = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        boolean shutdown = false;
        boolean sawCfg = false;
        while (file.hasRemaining()) {
            int at = file.position();
            if (file.remaining() < 8) {
                throw new Damaged("it ends in the middle of a chunk header at byte " + at);
            }
            int type = file.getInt();
            long length = Integer.toUnsignedLong(file.getInt());
            if (length > file.remaining()) {
                throw new Damaged("the chunk at byte " + at + " says it is " + length + " bytes, but only "
                        + file.remaining() + " follow (cut short?)");
            }
            ByteBuffer chunk = file.slice().limit((int) length).order(ByteOrder.BIG_ENDIAN);
            file.position(file.position() + (int) length);
            try {
                switch (type) {
                    case CFG -> {
                        shutdown = cfg(chunk);
                        sawCfg = true;
                    }
                    case BASE_MSG -> {
                        BaseMsg m = baseMsg(chunk);
                        messages.put(m.storeId(), m);
                    }
                    case CLIENT -> clients.add(client(chunk));
                    case CLIENT_MSG -> clientMsgs.add(clientMsg(chunk));
                    case RETAIN -> retained.add(retain(chunk));
                    case SUB -> subs.add(sub(chunk));
                    default -> unknown.merge(type, 1, Integer::sum);
                }
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new Damaged("the " + name(type) + " chunk at byte " + at + " is inconsistent: "
                        + (e.getMessage() != null ? e.getMessage() : "its fields run past its length"));
            } catch (CharacterCodingException e) {
                unreadable.add("a " + name(type) + " chunk at byte " + at + " holds a string that is not UTF-8");
            }
            if (!sawCfg && type != CFG) {
                throw new Damaged("its first chunk is not the configuration chunk");
            }
        }
        return new Contents(version, shutdown, messages, clients, clientMsgs, subs, retained, unknown, unreadable);
    }

    static String name(int type) {
        return switch (type) {
            case CFG -> "configuration";
            case BASE_MSG -> "message";
            case CLIENT_MSG -> "client message";
            case RETAIN -> "retained";
            case SUB -> "subscription";
            case CLIENT -> "client";
            default -> "type " + Integer.toUnsignedString(type);
        };
    }

    private boolean cfg(ByteBuffer c) {
        exact(c, CFG_SIZE, 0);
        long little = c.order(ByteOrder.LITTLE_ENDIAN).getLong();
        c.position(0);
        long big = c.order(ByteOrder.BIG_ENDIAN).getLong();
        // Ids count up from 1; a little-endian reading that is vast while the big-endian one is not means
        // a big-endian writer (MIPS routers, say).
        longOrder = Long.compareUnsigned(little, 1L << 48) > 0 && Long.compareUnsigned(big, 1L << 48) <= 0
                ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        boolean shutdown = c.get() != 0;
        int dbidSize = c.get() & 0xFF;
        if (dbidSize != 8) {
            throw new IllegalArgumentException("message ids of " + dbidSize + " bytes; Mosquitto writes 8");
        }
        return shutdown;
    }

    private BaseMsg baseMsg(ByteBuffer c) throws CharacterCodingException {
        atLeast(c, BASE_MSG_SIZE);
        long storeId = int64(c);
        long expiryTime = int64(c);
        long payloadLen = Integer.toUnsignedLong(c.getInt());
        c.getShort(); // source_mid: the publisher's packet id, of no use to a new broker
        int sourceIdLen = u16(c);
        int sourceUserLen = u16(c);
        int topicLen = u16(c);
        c.getShort(); // source_port
        int qos = c.get() & 0xFF;
        boolean retain = c.get() != 0;
        if (payloadLen > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a payload of " + payloadLen + " bytes");
        }
        if (qos > 2) {
            throw new IllegalArgumentException("QoS " + qos);
        }
        long fixed = BASE_MSG_SIZE + sourceIdLen + sourceUserLen + topicLen + payloadLen;
        if (fixed > c.limit()) {
            throw new IllegalArgumentException("its strings and payload (" + fixed + " bytes) run past its length ("
                    + c.limit() + ")");
        }
        String sourceId = sourceIdLen > 0 ? string(c, sourceIdLen) : null;
        skip(c, sourceUserLen);
        String topic = string(c, topicLen);
        byte[] payload = new byte[(int) payloadLen];
        c.get(payload);
        byte[] properties = properties(c);
        return new BaseMsg(storeId, expiryTime, sourceId, topic, qos, retain, payload, properties);
    }

    private Client client(ByteBuffer c) throws CharacterCodingException {
        int size = version == 6 ? CLIENT_SIZE_V6 : CLIENT_SIZE_V5;
        atLeast(c, size);
        long expiryTime = int64(c);
        long interval = Integer.toUnsignedLong(c.getInt());
        int lastMid = u16(c);
        int idLen = u16(c);
        int userLen = 0;
        if (version == 6) {
            c.getShort(); // listener_port
            userLen = u16(c);
        }
        exact(c, size, idLen + userLen);
        c.position(size);
        if (idLen == 0) {
            throw new IllegalArgumentException("a client without a client id");
        }
        String clientId = string(c, idLen);
        String username = userLen > 0 ? string(c, userLen) : null;
        return new Client(clientId, expiryTime, interval, lastMid, username);
    }

    private ClientMsg clientMsg(ByteBuffer c) throws CharacterCodingException {
        atLeast(c, CLIENT_MSG_SIZE);
        long storeId = int64(c);
        int mid = u16(c);
        int idLen = u16(c);
        int qos = c.get() & 0xFF;
        int state = c.get() & 0xFF;
        int retainDup = c.get() & 0xFF;
        int direction = c.get() & 0xFF;
        if (CLIENT_MSG_SIZE + idLen > c.limit()) {
            throw new IllegalArgumentException("its client id runs past its length");
        }
        String clientId = string(c, idLen);
        int subscriptionId = 0;
        byte[] props = properties(c);
        if (props.length > 0) {
            subscriptionId = subscriptionId(ByteBuffer.wrap(props));
        }
        return new ClientMsg(clientId, storeId, mid, qos, state, (retainDup & 0xF0) != 0, (retainDup & 0x0F) != 0,
                direction == 1, subscriptionId);
    }

    private long retain(ByteBuffer c) {
        exact(c, RETAIN_SIZE, 0);
        return int64(c);
    }

    private Sub sub(ByteBuffer c) throws CharacterCodingException {
        atLeast(c, SUB_SIZE);
        int identifier = c.getInt();
        int idLen = u16(c);
        int topicLen = u16(c);
        int qos = c.get() & 0xFF;
        int options = c.get() & 0xFF;
        exact(c, SUB_SIZE, idLen + topicLen);
        c.position(SUB_SIZE);
        String clientId = string(c, idLen);
        String filter = string(c, topicLen);
        if (identifier < 0 || identifier > 268_435_455) {
            throw new IllegalArgumentException("subscription identifier " + Integer.toUnsignedString(identifier));
        }
        return new Sub(clientId, filter, qos, options, identifier);
    }

    /**
     * The rest of the chunk: MQTT 5.0 PUBLISH properties as on the wire (a variable byte integer length,
     * then the properties), or nothing. Its length must cover the rest exactly.
     */
    private static byte[] properties(ByteBuffer c) {
        if (!c.hasRemaining()) {
            return new byte[0];
        }
        int start = c.position();
        long length = varInt(c);
        if (length != c.remaining()) {
            throw new IllegalArgumentException("its properties say " + length + " bytes where " + c.remaining()
                    + " are left");
        }
        byte[] all = new byte[c.limit() - start];
        c.position(start);
        c.get(all);
        return all;
    }

    /** The Subscription Identifier in a client message's properties (the only one Mosquitto writes there). */
    private static int subscriptionId(ByteBuffer p) {
        varInt(p); // length, already checked
        int id = 0;
        while (p.hasRemaining()) {
            int property = p.get() & 0xFF;
            if (property != 0x0B) {
                throw new IllegalArgumentException("a client message property 0x" + Integer.toHexString(property)
                        + " where only a Subscription Identifier is written");
            }
            id = (int) varInt(p);
        }
        return id;
    }

    static long varInt(ByteBuffer b) {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = b.get() & 0xFF;
            value |= (long) (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a variable byte integer longer than 4 bytes");
    }

    private long int64(ByteBuffer c) {
        long v = c.getLong();
        return longOrder == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    private static int u16(ByteBuffer c) {
        return c.getShort() & 0xFFFF;
    }

    private static void skip(ByteBuffer c, int n) {
        c.position(c.position() + n);
    }

    private static void atLeast(ByteBuffer c, int size) {
        if (c.limit() < size) {
            throw new IllegalArgumentException(c.limit() + " bytes, shorter than its fixed " + size);
        }
    }

    /** The chunk is exactly its fixed part plus {@code variable} bytes. */
    private static void exact(ByteBuffer c, int size, int variable) {
        if (c.limit() != size + variable) {
            throw new IllegalArgumentException("it is " + c.limit() + " bytes where its fields make " + (size + variable));
        }
    }

    private static String string(ByteBuffer c, int length) throws CharacterCodingException {
        if (length > c.remaining()) {
            throw new IllegalArgumentException("a string of " + length + " bytes runs past its length");
        }
        ByteBuffer bytes = c.slice().limit(length);
        skip(c, length);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = utf8.decode(bytes);
        return chars.toString();
    }
}
