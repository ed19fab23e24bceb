package org.computeops.orchestrators.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RememberedTest {

    @Test
    void readAgainOncePastItsTime() {
        AtomicLong clock = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        Remembered<Integer> r = new Remembered<>(reads::incrementAndGet, 2000, clock::get);
        assertThat(r.get()).isEqualTo(1);
        clock.set(1_999_000_000L);
        assertThat(r.get()).isEqualTo(1);
        clock.set(2_000_000_000L);
        assertThat(r.get()).as("read again, waited for").isEqualTo(2);
    }

    @Test
    void inTheBackgroundCallersKeepTheOldValueUntilTheNewReadIsDone() throws Exception {
        AtomicLong clock = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Remembered<Integer> r = Remembered.refreshedInBackground(() -> {
            int n = reads.incrementAndGet();
            if (n > 1) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return n;
        }, 2000, clock::get);
        assertThat(r.get()).as("the first read is waited for").isEqualTo(1);
        clock.set(5_000_000_000L);
        assertThat(r.get()).as("a slow read in progress: the old value").isEqualTo(1);
        assertThat(r.get()).isEqualTo(1);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> r.get() == 2);
        assertThat(reads.get()).as("one background read for all callers").isEqualTo(2);
    }
}
