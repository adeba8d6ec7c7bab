package io.kvasir.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** CONFIG SET of directives that change what the server does at once. */
class ConfigLiveTest {

    @Test
    void portMovesTheListenerAndKeepsClients() throws IOException {
        try (KvasirServer kvasir = KvasirServer.builder().port(RealRedis.freePort()).start();
                RawClient c = new RawClient(kvasir.port())) {
            int newPort = RealRedis.freePort();
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "port", Integer.toString(newPort)));
            assertEquals("+PONG\r\n", c.call("PING")); // the connection made before stays
            try (RawClient d = new RawClient(newPort)) {
                assertEquals("+PONG\r\n", d.call("PING"));
            }
            assertEquals(newPort, kvasir.port());
        }
    }

    @Test
    void portInUseIsRefusedAndNothingChanges() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                KvasirServer kvasir = KvasirServer.builder().port(RealRedis.freePort()).start();
                RawClient c = new RawClient(kvasir.port())) {
            int before = kvasir.port();
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. "
                    + "Check server logs.\r\n", c.call("CONFIG", "SET", "port", Integer.toString(taken.getLocalPort())));
            assertEquals("*2\r\n$4\r\nport\r\n$" + Integer.toString(before).length() + "\r\n" + before + "\r\n",
                    c.call("CONFIG", "GET", "port"));
            try (RawClient d = new RawClient(before)) {
                assertEquals("+PONG\r\n", d.call("PING"));
            }
        }
    }

    @Test
    void bindToAnAddressNotHereIsRefused() throws IOException {
        try (KvasirServer kvasir = KvasirServer.builder().port(RealRedis.freePort()).start();
                RawClient c = new RawClient(kvasir.port())) {
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified "
                    + "addresses.\r\n", c.call("CONFIG", "SET", "bind", "192.0.2.1"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "bind", "127.0.0.1 -192.0.2.1"));
            try (RawClient d = new RawClient(kvasir.port())) {
                assertEquals("+PONG\r\n", d.call("PING"));
            }
        }
    }

    @Test
    void protoMaxBulkLenApplies() throws IOException {
        try (KvasirServer kvasir = KvasirServer.builder().port(0).start(); RawClient c = new RawClient(kvasir.port())) {
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "proto-max-bulk-len", "1mb"));
            c.send("*2\r\n$4\r\nECHO\r\n$2000000\r\n");
            assertEquals("-ERR Protocol error: invalid bulk length\r\n", c.readReply());
        }
    }

    @Test
    void slowlogMaxLenTrimsAtOnce() throws IOException {
        try (KvasirServer kvasir = KvasirServer.builder().port(0).config("slowlog-log-slower-than", "0").start();
                RawClient c = new RawClient(kvasir.port())) {
            for (int i = 0; i < 5; i++) c.call("PING");
            c.call("CONFIG", "SET", "slowlog-max-len", "2");
            assertEquals(":2\r\n", c.call("SLOWLOG", "LEN"));
        }
    }

    @Test
    void unknownDirectiveFromTheEmbeddingApi() {
        assertThrows(Config.ConfigException.class, () -> KvasirServer.builder().config("nosuch", "x").start());
    }
}
