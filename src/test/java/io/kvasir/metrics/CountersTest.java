package io.kvasir.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class CountersTest {

    @Test
    void sumsWhatEveryThreadCounted() throws InterruptedException {
        Counters family = new Counters();
        Counter a = family.counter(), b = family.counter();
        ThreadFactory netty = new DefaultThreadFactory("count"); // FastThreadLocalThreads, like event loops
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            Runnable work = () -> {
                for (int i = 0; i < 100_000; i++) {
                    a.increment();
                    b.add(3);
                }
            };
            threads.add(t % 2 == 0 ? netty.newThread(work) : new Thread(work));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        assertEquals(600_000, a.sum());
        assertEquals(1_800_000, b.sum());
    }

    @Test
    void countersAddedAfterAThreadStartedCountingStillCount() {
        Counters family = new Counters();
        Counter first = family.counter();
        first.increment();
        List<Counter> later = new ArrayList<>();
        for (int i = 0; i < 100; i++) later.add(family.counter());
        for (Counter c : later) c.add(7);
        first.increment();
        assertEquals(2, first.sum());
        for (Counter c : later) assertEquals(7, c.sum());
    }

    @Test
    void resetCountsFromZeroAgain() throws InterruptedException {
        Counters family = new Counters();
        Counter c = family.counter();
        Thread t = new Thread(() -> c.add(5));
        t.start();
        t.join();
        c.add(2);
        assertEquals(7, c.sum());
        c.reset();
        assertEquals(0, c.sum());
        c.increment();
        assertEquals(1, c.sum());
    }
}
