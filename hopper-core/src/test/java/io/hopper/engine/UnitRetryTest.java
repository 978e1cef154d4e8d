package io.hopper.engine;

import io.hopper.mop.Unit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitRetryTest {
    private static final Unit UNIT = new Unit(7, 2, 3);

    private static UnitResult result(int worker) {
        return new UnitResult(worker, new byte[0], 0.5, OptionalDouble.empty(), 1, 0, 1, UnitResult.LOCAL);
    }

    @Test
    void retriesOnTheNextWorkersAndStopsAtTheFirstSuccess() {
        List<String> tried = new ArrayList<>();
        UnitResult r = UnitRetry.run(UNIT, 2, 3, (w, attempt) -> {
            tried.add(w + "#" + attempt);
            return attempt < 3 ? CompletableFuture.failedFuture(new IllegalStateException("boom")) : CompletableFuture.completedFuture(result(w));
        }).join();
        assertEquals(List.of("2#1", "0#2", "1#3"), tried);
        assertEquals(1, r.worker());
    }

    @Test
    void failsWithTheLastReasonAfterThreeAttempts() {
        List<Integer> tried = new ArrayList<>();
        CompletionException e = assertThrows(CompletionException.class, () -> UnitRetry.run(UNIT, 0, 1, (w, attempt) -> {
            tried.add(w);
            if (attempt == 2) {
                throw new IllegalArgumentException("thrown, not returned");
            }
            return CompletableFuture.failedFuture(new IllegalStateException("out of\n  memory " + attempt));
        }).join());
        assertEquals(List.of(0, 0, 0), tried, "one worker: every attempt on it");
        UnitFailedException f = assertInstanceOf(UnitFailedException.class, e.getCause());
        assertEquals(3, f.attempts());
        assertEquals("out of memory 3", f.reason(), "one line");
        assertTrue(f.getMessage().contains("failed 3 times"), f.getMessage());
    }

    @Test
    void aFailureWithoutMessageIsNamedByItsClass() {
        UnitFailedException f = assertInstanceOf(UnitFailedException.class, assertThrows(CompletionException.class,
                () -> UnitRetry.run(UNIT, 0, 2, (w, a) -> CompletableFuture.failedFuture(new NullPointerException())).join()).getCause());
        assertEquals("NullPointerException", f.reason());
    }

    @Test
    void refusesAnOwnerOutsideTheWorkers() {
        assertThrows(IllegalArgumentException.class, () -> UnitRetry.run(UNIT, 3, 3, (w, a) -> CompletableFuture.completedFuture(result(w))));
    }

    @Test
    void anUnreachableStoreIsNotRetried() {
        List<Integer> tried = new ArrayList<>();
        CompletionException e = assertThrows(CompletionException.class, () -> UnitRetry.run(UNIT, 0, 2, (w, a) -> {
            tried.add(w);
            return CompletableFuture.failedFuture(new io.hopper.store.StoreUnavailableException("down", null));
        }).join());
        assertInstanceOf(io.hopper.store.StoreUnavailableException.class, e.getCause());
        assertEquals(List.of(0), tried);
    }
}
