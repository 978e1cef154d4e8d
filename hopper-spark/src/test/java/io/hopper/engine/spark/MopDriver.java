package io.hopper.engine.spark;

import io.hopper.engine.Engine;
import io.hopper.engine.ModelSpec;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitResult;
import io.hopper.engine.UnitTask;
import io.hopper.mop.Configurations;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.RotationScheduler;
import io.hopper.mop.Scheduler;
import io.hopper.mop.Unit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A minimal MOP loop for engine tests: the rotation schedule over an engine, states replaced only by successful
 * results, then one eval unit per configuration and partition.
 */
final class MopDriver {
    /** What a run produced: final states, executed train units, per-configuration eval loss and accuracy. */
    record Outcome(Map<Integer, byte[]> states, List<ExecutedUnit> executed, Map<Integer, Double> initialLoss,
                   Map<Integer, Double> loss, Map<Integer, Double> accuracy) {
    }

    private record Done(UnitTask task, UnitResult result, Throwable error) {
    }

    private MopDriver() {
    }

    static long unitSeed(long seed, Unit u) {
        return seed * 1_000_003L + u.mstKey() * 10_007L + u.iteration() * 101L + u.partition();
    }

    static Outcome run(Engine engine, String table, Map<Integer, ModelSpec> specs, int iterations, long seed)
            throws InterruptedException {
        Map<Integer, byte[]> states = new TreeMap<>();
        specs.forEach((k, s) -> states.put(k, IrisFixture.initialState(s, seed + k)));
        Configurations configs = new Configurations(List.copyOf(specs.keySet()));
        Scheduler scheduler = new RotationScheduler(configs, engine.placement());
        Map<Integer, Double> initialLoss = new TreeMap<>();
        evaluate(engine, table, specs, states, 1, initialLoss, new TreeMap<>());
        LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
        List<ExecutedUnit> executed = new ArrayList<>();
        long t0 = System.nanoTime();
        int workers = engine.placement().workers();
        for (int it = 1; it <= iterations; it++) {
            scheduler.start(it);
            boolean[] busy = new boolean[workers];
            int running = 0;
            while (true) {
                for (int w = 0; w < workers; w++) {
                    if (!busy[w]) {
                        var next = scheduler.next(w);
                        if (next.isPresent()) {
                            Unit u = next.get();
                            UnitTask task = new UnitTask(u, Phase.TRAIN, table, specs.get(u.mstKey()),
                                    states.get(u.mstKey()), unitSeed(seed, u));
                            engine.submit(task).whenComplete((r, e) -> done.add(new Done(task, r, e)));
                            busy[w] = true;
                            running++;
                        }
                    }
                }
                if (running == 0) {
                    break;
                }
                Done d = done.take();
                running--;
                int w = engine.placement().workerOf(d.task().unit().partition());
                busy[w] = false;
                if (d.error() != null) {
                    throw new CompletionException(d.error());
                }
                states.put(d.task().unit().mstKey(), d.result().state());
                scheduler.complete(d.task().unit());
                executed.add(new ExecutedUnit(d.task().unit(), d.result().worker(),
                        (d.result().startNanos() - t0) / 1e9, (d.result().endNanos() - t0) / 1e9));
            }
        }
        Map<Integer, Double> loss = new TreeMap<>();
        Map<Integer, Double> accuracy = new TreeMap<>();
        evaluate(engine, table, specs, states, iterations, loss, accuracy);
        return new Outcome(new HashMap<>(states), executed, initialLoss, loss, accuracy);
    }


    /** Sample-weighted mean loss and accuracy of every configuration over all partitions, as eval units. */
    private static void evaluate(Engine engine, String table, Map<Integer, ModelSpec> specs, Map<Integer, byte[]> states,
                                 int iteration, Map<Integer, Double> loss, Map<Integer, Double> accuracy) {
        for (int k : specs.keySet()) {
            double l = 0;
            double a = 0;
            long n = 0;
            for (int p = 0; p < engine.placement().partitions(); p++) {
                UnitResult r = engine.submit(new UnitTask(new Unit(k, p, iteration), Phase.EVAL, table, specs.get(k),
                        states.get(k), 0L)).join();
                l += r.loss() * r.samples();
                a += r.metric().orElseThrow() * r.samples();
                n += r.samples();
            }
            loss.put(k, l / n);
            accuracy.put(k, a / n);
        }
    }
}
