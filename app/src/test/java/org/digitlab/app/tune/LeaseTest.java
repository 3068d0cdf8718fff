package org.digitlab.app.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseTest {
    @TempDir
    Path dir;

    private final List<ScheduledExecutorService> timers = new ArrayList<>();

    @AfterEach
    void stopTimers() {
        timers.forEach(ScheduledExecutorService::shutdownNow);
    }

    @Test
    void onlyOneOfManyRacingWorkersGetsTheLease() throws Exception {
        Path lease = dir.resolve("trials/0000/lease");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Lease>> tries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String worker = "w" + i;
            Callable<Lease> take = () -> {
                start.await();
                return Lease.tryAcquire(lease, holder(worker, 60), timer());
            };
            tries.add(pool.submit(take));
        }
        start.countDown();
        List<Lease> won = new ArrayList<>();
        for (Future<Lease> f : tries) {
            if (f.get() != null) {
                won.add(f.get());
            }
        }
        pool.shutdown();
        assertThat(won).hasSize(1);
        assertThat(Lease.holder(lease)).isEqualTo(won.get(0).holder());
        won.get(0).close();
        assertThat(lease).doesNotExist();
        assertThatThrownBy(() -> won.get(0).check(false)).as("let go").isInstanceOf(Lease.Lost.class);
        won.get(0).close();
        assertThat(Lease.tryAcquire(lease, holder("late", 60), timer())).as("free again").isNotNull();
    }

    @Test
    void aLeaseThatKeepsBeatingNeverExpires() throws Exception {
        Path path = dir.resolve("lease");
        try (Lease lease = Lease.tryAcquire(path, holder("alive", 0.3), timer())) {
            LeaseWatch watch = new LeaseWatch(System::nanoTime);
            long end = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < end) {
                assertThat(watch.expired(path, Lease.state(path), 0.3)).isFalse();
                Thread.sleep(100);
            }
            lease.check(true);
            assertThat(Lease.lastBeat(path)).isNotNull();
        }
    }

    @Test
    void aLeaseExpiresAfterShowingTheSameBeatForAWholeLeaseOfTheWatchersOwnClock() throws Exception {
        Path path = dir.resolve("lease");
        ScheduledExecutorService deadTimer = timer();
        Lease.tryAcquire(path, holder("dies", 10), deadTimer);
        deadTimer.shutdownNow();
        AtomicLong clock = new AtomicLong();
        LeaseWatch watch = new LeaseWatch(clock::get);
        String state = Lease.state(path);
        assertThat(watch.expired(path, state, 10)).isFalse();
        clock.set(9_900_000_000L);
        assertThat(watch.expired(path, state, 10)).isFalse();
        clock.set(10_000_000_000L);
        assertThat(watch.expired(path, state, 10)).isTrue();
        // A beat (any change of the state) starts the count again.
        assertThat(watch.expired(path, state + "beat", 10)).isFalse();
        clock.set(19_000_000_000L);
        assertThat(watch.expired(path, state + "beat", 10)).isFalse();
    }

    @Test
    void aTakeOverFencesTheOldHolderWhichThenLeavesTheNewLeaseAlone() throws Exception {
        Path path = dir.resolve("lease");
        ScheduledExecutorService slowTimer = timer();
        Lease old = Lease.tryAcquire(path, holder("slow", 10), slowTimer);
        slowTimer.shutdownNow();
        String seen = Lease.state(path);
        assertThat(Lease.breakExpired(path, seen)).isTrue();
        assertThat(Lease.breakExpired(path, seen)).as("only one breaker wins").isFalse();
        Lease taken = Lease.tryAcquire(path, holder("new", 10), timer());
        assertThat(taken).isNotNull();

        assertThatThrownBy(() -> old.check(true)).isInstanceOf(Lease.Lost.class).hasMessageContaining("taken over");
        assertThatThrownBy(() -> old.check(false)).as("and stays lost").isInstanceOf(Lease.Lost.class);
        old.close();
        assertThat(Lease.holder(path).worker()).isEqualTo("new");
        taken.check(true);
        taken.close();
        try (var left = Files.list(dir)) {
            assertThat(left).as("nothing left behind").isEmpty();
        }
    }

    @Test
    void aLeaseThatChangedSinceItWasJudgedIsNotBroken() {
        Path path = dir.resolve("lease");
        Lease.tryAcquire(path, holder("a", 10), timer()).close();
        Lease.tryAcquire(path, holder("b", 10), timer());
        assertThat(Lease.breakExpired(path, "what a's lease showed")).isFalse();
        assertThat(Lease.holder(path).worker()).isEqualTo("b");
    }

    private ScheduledExecutorService timer() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        synchronized (timers) {
            timers.add(timer);
        }
        return timer;
    }

    private static Holder holder(String worker, double leaseSeconds) {
        return new Holder(worker, "host", 1, "rung 0 (1 epoch)", 0, "2026-01-01T00:00:00Z", leaseSeconds);
    }
}
