package io.kvasir.testing;

import io.kvasir.embed.KvasirServer;

/** One embedded Kvasir per test JVM for tests that share it (differential tests, client tests). */
public final class TestServers {
    private static KvasirServer kvasir;

    private TestServers() {}

    public static synchronized KvasirServer kvasir() {
        if (kvasir == null) {
            // configured as RealRedis starts the oracle, so that both refuse or allow the same things
            kvasir = KvasirServer.builder().port(0).config("save", "").config("enable-debug-command", "yes").start();
            Runtime.getRuntime().addShutdownHook(new Thread(kvasir::close));
        }
        return kvasir;
    }
}
