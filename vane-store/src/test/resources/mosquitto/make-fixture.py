#!/usr/bin/env python3
"""Writes mosquitto-2.0.db: Debian's mosquitto 2.0 state after the steps below, for MosquittoDbTest.

Run: python3 make-fixture.py OUTPUT_DIR  (needs /usr/sbin/mosquitto and mosquitto_pub/mosquitto_sub).
- 'subA' (3.1.1, clean session 0, topic/# at QoS 1), offline: three QoS 1 messages and one retained one queued.
- 'subB' (5.0, Session Expiry 3600, topic/# QoS 2 with Subscription Identifier 7, No Local and Retain As
  Published; other/+ QoS 0), offline: the same messages queued at their QoS, with identifier 7.
- 'live' (3.1.1, clean session 0, inflight/# QoS 2), connected when mosquitto stops, never acknowledging:
  two QoS 1 messages wait for PUBACK, one QoS 2 for PUBREC, and one QoS 2 it answered with PUBREC waits
  for PUBCOMP; it also published a retained QoS 2 message to topic/held (packet id 9) and never sent PUBREL,
  so Mosquitto holds it undelivered.
- retained: topic/ret1 (QoS 1), x/ret2 (QoS 0), x/ret3 (5.0, user property and content type), x/exp
  (5.0, Message Expiry 3600).
"""
import os, signal, socket, struct, subprocess, sys, time

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
with open(os.path.join(out, "m.conf"), "w") as f:
    f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
            f"persistence_location {out}/\nuser {os.environ.get('USER') or 'root'}\n")
broker = subprocess.Popen(["/usr/sbin/mosquitto", "-c", os.path.join(out, "m.conf")])
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", port)).close(); break
    except OSError:
        time.sleep(0.05)

def run(*args):
    subprocess.run(["mosquitto_" + args[0], "-p", str(port)] + list(args[1:]), check=True)

def s16(b): return struct.pack(">H", len(b)) + b

def packet(kind, body):
    n, rl = len(body), b""
    while True:
        d, n = n % 128, n // 128
        rl += bytes([d | (0x80 if n else 0)])
        if not n: break
    return bytes([kind]) + rl + body

def read_packet(c):
    h = c.recv(1)[0]; mult, n = 1, 0
    while True:
        d = c.recv(1)[0]; n += (d & 127) * mult; mult *= 128
        if not d & 128: break
    body = b""
    while len(body) < n: body += c.recv(n - len(body))
    return h, body

run("sub", "-c", "-i", "subA", "-q", "1", "-t", "topic/#", "-E")
v5 = socket.create_connection(("127.0.0.1", port))
v5.sendall(packet(0x10, s16(b"MQTT") + bytes([5, 0x00]) + struct.pack(">H", 60)
                  + bytes([5, 0x11]) + struct.pack(">I", 3600) + s16(b"subB")))
read_packet(v5)
# SUBSCRIBE id 1, properties: Subscription Identifier 7; topic/# options QoS 2 | NL | RAP; other/+ QoS 0
v5.sendall(packet(0x82, struct.pack(">H", 1) + bytes([2, 0x0B, 7]) + s16(b"topic/#") + bytes([0x02 | 0x04 | 0x08])
                  + s16(b"other/+") + bytes([0])))
read_packet(v5)
v5.sendall(packet(0xE0, bytes([0, 0]))); v5.close()

live = socket.create_connection(("127.0.0.1", port))
live.sendall(packet(0x10, s16(b"MQTT") + bytes([4, 0x00]) + struct.pack(">H", 600) + s16(b"live")))
read_packet(live)
live.sendall(packet(0x82, struct.pack(">H", 1) + s16(b"inflight/#") + bytes([2])))
read_packet(live)

run("pub", "-r", "-t", "topic/ret1", "-m", "hello1", "-q", "1")
run("pub", "-r", "-t", "x/ret2", "-m", "hello2", "-q", "0")
run("pub", "-V", "mqttv5", "-r", "-t", "x/ret3", "-m", "hello3", "-q", "1",
    "-D", "publish", "user-property", "k", "v", "-D", "publish", "content-type", "text/plain")
run("pub", "-V", "mqttv5", "-r", "-t", "x/exp", "-m", "expires", "-q", "1",
    "-D", "publish", "message-expiry-interval", "3600")
for i in (1, 2, 3):
    run("pub", "-t", "topic/q", "-m", f"m{i}", "-q", "1")
run("pub", "-t", "inflight/a", "-m", "i1", "-q", "1")
run("pub", "-t", "inflight/a", "-m", "i2", "-q", "1")
run("pub", "-t", "inflight/b", "-m", "i3", "-q", "2")
run("pub", "-t", "inflight/c", "-m", "i4", "-q", "2")
got = []
while len(got) < 4:
    h, body = read_packet(live)
    if h >> 4 == 3:
        tlen = struct.unpack(">H", body[:2])[0]
        got.append((h, struct.unpack(">H", body[2 + tlen:4 + tlen])[0], body[2:2 + tlen]))
# PUBREC for the last QoS 2 message only: it then waits for PUBCOMP
last = [g for g in got if g[2] == b"inflight/c"][0]
live.sendall(packet(0x50, struct.pack(">H", last[1])))
read_packet(live)  # PUBREL
# an inbound QoS 2 message, never released
live.sendall(packet(0x35, s16(b"topic/held") + struct.pack(">H", 9) + b"held"))
read_packet(live)  # PUBREC
broker.send_signal(signal.SIGTERM)
broker.wait(10)
live.close()
print(os.path.join(out, "mosquitto.db"))
