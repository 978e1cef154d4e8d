package io.hopper.engine.local;

import io.hopper.engine.Engine;
import io.hopper.engine.EngineFactory;
import io.hopper.engine.UnitResult;
import io.hopper.engine.UnitTask;
import io.hopper.mop.Placement;

import java.util.concurrent.CompletableFuture;

/** Test engines that crash: the embedded engine, except that one chosen unit fails as if its worker were lost. */
public final class CrashingEngine {
    private CrashingEngine() {
    }

    /** An engine that fails its {@code failAt}-th unit (from 1) and runs the others on a {@link LocalEngine}. */
    public static EngineFactory failingAt(int failAt) {
        return (store, placement, caching) -> new Engine() {
            private final LocalEngine local = new LocalEngine(store, placement, caching);
            private int submitted;

            @Override
            public Placement placement() {
                return placement;
            }

            @Override
            public CompletableFuture<UnitResult> submit(UnitTask task) {
                return ++submitted == failAt ? CompletableFuture.failedFuture(new IllegalStateException("worker lost"))
                        : local.submit(task);
            }

            @Override
            public long storeReads() {
                return local.storeReads();
            }

            @Override
            public void close() {
                local.close();
            }
        };
    }
}
