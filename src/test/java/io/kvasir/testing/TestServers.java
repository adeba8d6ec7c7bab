package io.kvasir.testing;

import io.kvasir.embed.KvasirServer;

/** One embedded Kvasir per test JVM for tests that share it (differential tests, client tests). */
public final class TestServers {
    private static KvasirServer kvasir;

    private TestServers() {}

    public static synchronized KvasirServer kvasir() {
        if (kvasir == null) {
            kvasir = KvasirServer.builder().port(0).start();
            Runtime.getRuntime().addShutdownHook(new Thread(kvasir::close));
        }
        return kvasir;
    }
}
