package io.kvasir.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** maxclients, timeout, tcp-keepalive and protected-mode. */
class ConnectionLimitsTest {

    @Test
    void maxclientsRefusesTheNextConnectionOnly() throws IOException, InterruptedException {
        try (KvasirServer server = KvasirServer.builder().port(0).config("maxclients", "3").start()) {
            List<RawClient> admitted = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawClient c = new RawClient(server.port());
                    assertEquals("+PONG\r\n", c.call("PING"));
                    admitted.add(c);
                }
                try (RawClient refused = new RawClient(server.port())) {
                    assertEquals("-ERR max number of clients reached\r\n", refused.readReply());
                    assertTrue(refused.closedByServer(2000));
                }
                for (RawClient c : admitted) assertEquals("+PONG\r\n", c.call("PING"));
                admitted.remove(0).close();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (server.kvasir().clients().size() > 2 && System.nanoTime() < deadline) Thread.sleep(10);
                try (RawClient next = new RawClient(server.port())) {
                    assertEquals("+PONG\r\n", next.call("PING"));
                }
            } finally {
                for (RawClient c : admitted) c.close();
            }
        }
    }

    @Test
    void timeoutClosesIdleClientsOnly() throws Exception {
        try (KvasirServer server = KvasirServer.builder().port(0).config("timeout", "1").start();
                RawClient idle = new RawClient(server.port());
                RawClient busy = new RawClient(server.port());
                RawClient monitor = new RawClient(server.port())) {
            assertEquals("+PONG\r\n", idle.call("PING"));
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3500);
            while (System.nanoTime() < end) {
                assertEquals("+PONG\r\n", busy.call("PING"));
                Thread.sleep(250);
            }
            assertTrue(idle.closedByServer(100), "an idle client outlived timeout 1");
            assertEquals("+PONG\r\n", busy.call("PING"));
            assertFalse(monitor.closedByServer(1000), "a monitor is never idle"); // reads the feed of busy's PINGs
        }
    }

    @Test
    void timeoutZeroNeverCloses() throws Exception {
        try (KvasirServer server = KvasirServer.builder().port(0).config("timeout", "0").start();
                RawClient idle = new RawClient(server.port())) {
            assertEquals("+PONG\r\n", idle.call("PING"));
            assertFalse(idle.closedByServer(2500));
            assertEquals("+PONG\r\n", idle.call("PING"));
        }
    }

    /** The kernel's view of the server's side of our connection, from `ss`; null without ss. */
    private static String socketTimers(int serverPort, int clientPort) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("ss", "-tnoH", "state", "established",
                    "( sport = :" + serverPort + " and dport = :" + clientPort + " )").redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 ? out : null;
    }

    @Test
    void tcpKeepaliveIsSetOnAcceptedSockets() throws Exception {
        for (String interval : new String[] {"120", "0"}) {
            try (KvasirServer server = KvasirServer.builder().port(0).config("tcp-keepalive", interval).start();
                    RawClient c = new RawClient(server.port())) {
                assertEquals("+PONG\r\n", c.call("PING"));
                String ss = socketTimers(server.port(), c.localPort());
                Assumptions.assumeTrue(ss != null && !ss.isBlank(), "ss is not available");
                if (interval.equals("0")) {
                    assertFalse(ss.contains("keepalive"), ss);
                } else {
                    // timer:(keepalive,1min59sec,0): the first probe after the configured 120 s idle,
                    // not the system's default of two hours
                    assertTrue(ss.contains("timer:(keepalive,1min"), ss);
                }
            }
        }
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) continue;
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return a;
            }
        }
        return null;
    }

    /** Everything the server sends until it closes (or 2 s pass). */
    private static String greeting(InetAddress host, int port, String request) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(2000);
            if (request != null) s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                for (int b; (b = in.read()) != -1; ) {
                    out.write(b);
                    if (request != null && out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n")) break;
                }
                if (request == null) out.writeBytes("<closed>".getBytes(StandardCharsets.US_ASCII));
            } catch (java.net.SocketTimeoutException e) {
                out.writeBytes("<open>".getBytes(StandardCharsets.US_ASCII));
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void protectedModeDeniesRemoteClientsAsRedisDoes() throws IOException {
        InetAddress remote = nonLoopbackAddress();
        Assumptions.assumeTrue(remote != null, "no non-loopback address to connect from");
        try (RealRedis redis = RealRedis.startDedicated("--bind", "0.0.0.0");
                KvasirServer kvasir = KvasirServer.builder().port(0).config("bind", "0.0.0.0").start()) {
            String expected = greeting(remote, redis.port(), null);
            assertTrue(expected.startsWith("-DENIED "), expected);
            assertEquals(expected, greeting(remote, kvasir.port(), null));
            try (RawClient local = new RawClient(kvasir.port())) {
                assertEquals("+PONG\r\n", local.call("PING"));
            }
        }
        try (KvasirServer open = KvasirServer.builder().port(0).config("bind", "0.0.0.0")
                        .config("protected-mode", "no").start();
                KvasirServer withPassword = KvasirServer.builder().port(0).config("bind", "0.0.0.0")
                        .config("requirepass", "secret").start()) {
            assertEquals("+PONG\r\n", greeting(remote, open.port(), "PING\r\n"));
            assertEquals("-NOAUTH Authentication required.\r\n", greeting(remote, withPassword.port(), "PING\r\n"));
        }
    }
}
