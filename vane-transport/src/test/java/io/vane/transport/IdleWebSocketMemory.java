package io.vane.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vane.broker.Broker;
import io.vane.transport.http.HttpEndpoints;
import io.vane.transport.http.StaticContent;
import io.vane.transport.http.StatusReport;
import io.vane.transport.websocket.WebSocketPipeline;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Measures what idle WebSocket connections cost the broker: heap after GC and the process's RSS.
 * Not a unit test; run the server and the clients as two processes so the clients' sockets are not
 * counted (see docs/websockets.md for the commands and the figures):
 *
 * <pre>
 * java -Xmx512m -cp ... io.vane.transport.IdleWebSocketMemory server [--echo]
 * java -cp ... io.vane.transport.IdleWebSocketMemory clients PORT 10000 [--connect]
 * </pre>
 *
 * The server mode uses the real listener (HTTP, upgrade, WebSocket adapter, MQTT decoder and
 * connection); {@code --echo} puts a no-op in place of MQTT, to measure the WebSocket layer alone.
 * Clients with {@code --connect} send an MQTT CONNECT (keep-alive 0) so the broker holds a session;
 * without it a connection closes after the 20-second CONNECT timeout.
 */
public final class IdleWebSocketMemory {
    private IdleWebSocketMemory() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), List.of(args).contains("--connect"));
        } else {
            server(List.of(args).contains("--echo"));
        }
    }

    private static void server(boolean echo) throws Exception {
        EventLoops loops = EventLoops.forThisMachine(0);
        Broker broker = Broker.withDefaults();
        ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        int port;
        IntSupplier count;
        if (echo) {
            ListenerConfig listener = new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.WEBSOCKETS, -1);
            StatusReport status = new StatusReport(broker, "bench", System::currentTimeMillis, List::of);
            WebSocketPipeline pipeline = new WebSocketPipeline(listener, 65536,
                    new HttpEndpoints(new StaticContent(null, IdleWebSocketMemory.class.getClassLoader()), status),
                    p -> p.addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            open.add(ctx.channel());
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                        }
                    }));
            var ch = new ServerBootstrap().group(loops.boss(), loops.workers()).channel(loops.serverChannelClass())
                    .childHandler(pipeline).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly()
                    .channel();
            port = ((InetSocketAddress) ch.localAddress()).getPort();
            count = open::size;
        } else {
            MqttServer server = new MqttServer(broker, loops, "bench");
            port = server.bind(new ListenerConfig(0, "127.0.0.1", ListenerConfig.Protocol.WEBSOCKETS, -1)).getPort();
            count = () -> broker.stats().clientsConnected();
        }
        System.out.println("port " + port);
        report("baseline", 0);
        int last = -1;
        while (true) {
            Thread.sleep(5000);
            int n = count.getAsInt();
            if (n != last) {
                report("connections", n);
                last = n;
            }
        }
    }

    private static void report(String what, int n) throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                .sum();
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                .findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
        System.out.printf("%s=%d heapAfterGC=%.1f MiB directBuffers=%.1f MiB %s, netty pooled direct=%s%n", what, n,
                heap / 1048576.0, direct / 1048576.0, rss,
                io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() / 1048576 + " MiB");
    }

    private static void clients(int port, int n, boolean connect) throws Exception {
        List<SocketChannel> sockets = new ArrayList<>(n);
        byte[] upgrade = ("GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n"
                + "Sec-WebSocket-Protocol: mqtt\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            SocketChannel s = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            s.write(ByteBuffer.wrap(upgrade));
            readUntilBlankLine(s);
            if (connect) {
                String id = "idle-" + i;
                byte[] body = new byte[12 + id.length()];
                byte[] head = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0, 0, (byte) id.length()};
                System.arraycopy(head, 0, body, 0, head.length);
                System.arraycopy(id.getBytes(StandardCharsets.US_ASCII), 0, body, head.length, id.length());
                byte[] packet = new byte[2 + body.length];
                packet[0] = 0x10;
                packet[1] = (byte) body.length;
                System.arraycopy(body, 0, packet, 2, body.length);
                ByteBuffer frame = ByteBuffer.allocate(6 + packet.length);
                frame.put((byte) 0x82).put((byte) (0x80 | packet.length)).putInt(0);
                frame.put(packet).flip();
                s.write(frame);
                ByteBuffer connack = ByteBuffer.allocate(6);
                while (connack.hasRemaining()) {
                    if (s.read(connack) < 0) {
                        throw new IllegalStateException("closed before CONNACK at connection " + i);
                    }
                }
            }
            sockets.add(s);
            if ((i + 1) % 1000 == 0) {
                System.out.println("opened " + (i + 1));
            }
        }
        System.out.println("all " + n + " open; holding");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void readUntilBlankLine(SocketChannel s) throws Exception {
        ByteBuffer one = ByteBuffer.allocate(1);
        int state = 0;
        while (state < 4) {
            one.clear();
            if (s.read(one) < 0) {
                throw new IllegalStateException("closed during upgrade");
            }
            byte b = one.get(0);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }
}
