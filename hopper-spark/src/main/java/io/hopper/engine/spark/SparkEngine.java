package io.hopper.engine.spark;

import io.hopper.engine.Engine;
import io.hopper.engine.UnitFault;
import io.hopper.engine.UnitResult;
import io.hopper.engine.UnitRetry;
import io.hopper.engine.UnitTask;
import io.hopper.mop.Placement;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.BlockManagerId;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.File;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The Spark engine: every unit is a one-partition Spark job whose task is pinned, by its preferred location, to
 * the executor that owns the unit's partition.
 *
 * <p>The placement's worker w is a task slot on executor {@code w mod E} (E executors; in local mode every slot is
 * in the driver). The driver keeps the model states: a unit ships its starting state (inline, or by uncompressed
 * broadcast above the threshold) and gets the new state back, so a task that Spark retries after losing its
 * executor starts again from the same state, and the caller replaces a state only with a successful result. When
 * a unit had to run on another executor (its own died), the worker follows its partition there. Executors read
 * partitions from the store themselves; with caching each keeps the decoded buffers for later units
 * ({@link ExecutorUnits}). {@link #storeReads()} counts the reads the executors report.
 *
 * <p>On top of Spark's own task retries (an executor lost mid-task), a unit whose job fails follows
 * {@link UnitRetry}: it runs again from the same starting state, up to three attempts, each retry on the next
 * worker's slot (so, with several executors, on another executor); after the third failure its future fails with a
 * {@link io.hopper.engine.UnitFailedException} and only its configuration fails.
 */
public final class SparkEngine implements Engine {
    private static final long CLOSE_WAIT_SECONDS = 60;
    private static final long POLL_MILLIS = 100;
    private static final ClassTag<Integer> INT_TAG = ClassTag$.MODULE$.apply(Integer.class);
    /** The JVM options DJL needs on executors (offline, one intra-op thread per model). */
    static final String EXECUTOR_JAVA_OPTIONS = "-Xss4m -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 "
            + "-Dai.djl.pytorch.num_interop_threads=1";

    private final SparkEngineConfig config;
    private final JavaSparkContext jsc;
    private final boolean ownsContext;
    private final String fitId = UUID.randomUUID().toString();
    private final Placement placement;
    private final List<ExecutorSlot> executors;
    private final ExecutorSlot[] pinned;
    private final ExecutorService[] threads;
    private final AtomicLong storeReads = new AtomicLong();
    private final List<SparkRun> runs = Collections.synchronizedList(new ArrayList<>());
    private volatile UnitFault fault = UnitFault.NONE;

    /** An executor as a preferred location: its id and the host its block manager registered. */
    record ExecutorSlot(String executorId, String host) {
        /** Spark's location string for a task that must run in this executor's JVM. */
        String location() {
            return "executor_" + host + "_" + executorId;
        }
    }

    private SparkEngine(SparkEngineConfig config, JavaSparkContext jsc, boolean ownsContext, Placement placement,
                        List<ExecutorSlot> executors) {
        this.config = config;
        this.jsc = jsc;
        this.ownsContext = ownsContext;
        this.placement = placement;
        this.executors = List.copyOf(executors);
        this.pinned = new ExecutorSlot[placement.workers()];
        this.threads = new ExecutorService[placement.workers()];
        for (int w = 0; w < pinned.length; w++) {
            pinned[w] = executors.get(w % executors.size());
            int index = w;
            threads[w] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "hopper-spark-worker-" + index);
                t.setDaemon(true);
                return t;
            });
        }
    }

    /**
     * Connects to the cluster (creating the Spark context, or joining the one spark-submit created), waits for
     * its executors (the N of local-cluster[N,C,MB], else spark.executor.instances, default 1) and places
     * {@code partitions} partitions round-robin on one worker per executor task slot (or the config's workers).
     *
     * @throws IllegalArgumentException when no master is given and Spark has none either
     * @throws IllegalStateException when the executors do not register within the config's executor wait
     */
    public static SparkEngine start(SparkEngineConfig config, int partitions) {
        return start(config, slots -> Placement.roundRobin(partitions, Math.min(partitions, config.workers().orElse(slots))));
    }

    /**
     * Like {@link #start(SparkEngineConfig, int)} with the caller's placement (the config's workers are not
     * used): worker w runs on executor w mod E.
     */
    public static SparkEngine start(SparkEngineConfig config, Placement placement) {
        return start(config, slots -> placement);
    }

    private static SparkEngine start(SparkEngineConfig config, IntFunction<Placement> placementForSlots) {
        SparkConf conf = sparkConf(config);
        boolean owns = org.apache.spark.SparkContext$.MODULE$.getActive().isEmpty();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        try {
            String master = jsc.master();
            int wanted = SparkEngineConfig.isLocal(master) ? 1 : SparkEngineConfig.clusterExecutors(master)
                    .orElse(jsc.getConf().getInt("spark.executor.instances", 1));
            List<ExecutorSlot> executors = awaitExecutors(master, wanted, config);
            int slots = SparkEngineConfig.isLocal(master) ? SparkEngineConfig.localSlots(master)
                    : executors.size() * jsc.getConf().getInt("spark.executor.cores", 1);
            return new SparkEngine(config, jsc, owns, placementForSlots.apply(slots), executors);
        } catch (RuntimeException e) {
            if (owns) {
                jsc.stop();
            }
            throw e;
        }
    }

    /**
     * The Spark settings the engine runs with: the config's master and settings, the locality wait, uncompressed
     * broadcasts, DJL's JVM options and malloc settings on executors, and for local-cluster masters the driver's
     * classpath on the executors (they run on this machine).
     *
     * @throws IllegalArgumentException when no master is given and Spark has none either, or a local-cluster
     *     master has no SPARK_HOME with a jars directory
     */
    static SparkConf sparkConf(SparkEngineConfig config) {
        SparkConf conf = new SparkConf();
        config.master().ifPresent(conf::setMaster);
        if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--spark-master is missing and Spark has no master configured; give "
                    + "--spark-master local[N], local-cluster[N,1,MB] or spark://host:port, or run under spark-submit");
        }
        conf.setIfMissing("spark.app.name", "hopper fit-multiple-model");
        conf.set("spark.locality.wait", config.localityWait().toMillis() + "ms");
        conf.set("spark.broadcast.compress", "false");
        conf.set("spark.executor.extraJavaOptions",
                (conf.get("spark.executor.extraJavaOptions", "") + " " + EXECUTOR_JAVA_OPTIONS).trim());
        conf.setIfMissing("spark.executorEnv.MALLOC_MMAP_THRESHOLD_", "1073741824");
        conf.setIfMissing("spark.executorEnv.MALLOC_TRIM_THRESHOLD_", "1073741824");
        String master = conf.get("spark.master");
        if (SparkEngineConfig.clusterExecutors(master).isPresent()) {
            String home = System.getenv("SPARK_HOME");
            if (home == null || !Files.isDirectory(Path.of(home, "jars"))) {
                throw new IllegalArgumentException("--spark-master " + master + " needs SPARK_HOME with a jars/ "
                        + "directory (now " + home + "); run scripts/spark-home.sh and export the SPARK_HOME it prints");
            }
            conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            // Spark's launcher asks a SPARK_HOME without a build tree for its Scala version.
            conf.setIfMissing("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
        } else if (!SparkEngineConfig.isLocal(master) && !conf.contains("spark.jars")
                && !conf.contains("spark.executor.extraClassPath")) {
            // Started by the hopper command, not spark-submit: ship Hopper's jars to the cluster's executors.
            String home = System.getenv("SPARK_HOME");
            conf.set("spark.jars", String.join(",", applicationJars(System.getProperty("java.class.path"),
                    home == null ? Optional.empty() : Optional.of(Path.of(home, "jars")))));
        }
        config.sparkConf().forEach(conf::set);
        return conf;
    }

    /**
     * The jar files of a driver classpath that executors need from the driver: every jar except those in Spark's
     * own jars directory (the cluster has them).
     */
    static List<String> applicationJars(String classPath, Optional<Path> sparkJars) {
        List<String> jars = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            boolean spark = sparkJars.isPresent() && path.startsWith(sparkJars.get().toAbsolutePath().normalize());
            if (entry.endsWith(".jar") && !spark && Files.isRegularFile(path)) {
                jars.add(path.toString());
            }
        }
        return jars;
    }

    /** Waits until {@code wanted} executors registered (the N of local-cluster, else spark.executor.instances). */
    private static List<ExecutorSlot> awaitExecutors(String master, int wanted, SparkEngineConfig config) {
        boolean local = SparkEngineConfig.isLocal(master);
        long deadline = System.nanoTime() + config.executorWait().toNanos();
        while (true) {
            List<ExecutorSlot> found = registeredExecutors(local);
            if (found.size() >= wanted) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("spark engine: " + found.size() + " of " + wanted + " executors of "
                        + master + " registered within " + config.executorWait() + "; check the cluster's workers "
                        + "(and SPARK_HOME for local-cluster)");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("spark engine: interrupted while waiting for executors", e);
            }
        }
    }

    /** The executors registered now, by id; only the driver in local mode, never the driver otherwise. */
    private static List<ExecutorSlot> registeredExecutors(boolean local) {
        TreeMap<String, ExecutorSlot> byId = new TreeMap<>();
        Iterable<BlockManagerId> ids = CollectionConverters.asJava(
                SparkEnv.get().blockManager().master().getMemoryStatus().keys());
        for (BlockManagerId id : ids) {
            if (id.isDriver() == local) {
                byId.put(id.executorId(), new ExecutorSlot(id.executorId(), id.host()));
            }
        }
        return List.copyOf(byId.values());
    }

    @Override
    public Placement placement() {
        return placement;
    }

    @Override
    public CompletableFuture<UnitResult> submit(UnitTask task) {
        int owner = placement.workerOf(task.unit().partition());
        return UnitRetry.run(task.unit(), owner, threads.length, (worker, attempt) -> CompletableFuture.supplyAsync(() -> {
            fault.beforeAttempt(task, worker, attempt);
            return run(worker, task);
        }, threads[worker]));
    }

    /** Test hook: {@code fault} is called on the driver before every attempt of every unit; throwing fails the attempt. */
    public void injectFaults(UnitFault fault) {
        this.fault = java.util.Objects.requireNonNull(fault, "fault");
    }

    private UnitResult run(int worker, UnitTask task) {
        long start = System.nanoTime();
        byte[] state = task.state();
        Broadcast<byte[]> broadcast = state.length > config.broadcastThresholdBytes() ? jsc.broadcast(state) : null;
        try {
            UnitMessage message = new UnitMessage(fitId, config.storeLocation(), config.useCaching(), task.table(),
                    task.unit().mstKey(), task.unit().partition(), task.unit().iteration(), task.phase(),
                    task.model().archJson(), task.model().compile().canonical(), task.model().fit().canonical(),
                    task.unitSeed(), broadcast == null ? state : null, broadcast);
            UnitReply reply = runOn(pinned[worker], new RunUnit(message)).get(0);
            if (!reply.executorId().equals(pinned[worker].executorId())) {
                // Its executor was lost: the partition now lives where the retry read it.
                pinned[worker] = new ExecutorSlot(reply.executorId(), reply.host());
            }
            if (reply.read()) {
                storeReads.incrementAndGet();
            }
            runs.add(new SparkRun(task.unit(), task.phase(), worker, reply.executorId(), reply.read()));
            return new UnitResult(worker, reply.state() == null ? state : reply.state(), reply.loss(),
                    reply.hasMetric() ? OptionalDouble.of(reply.metric()) : OptionalDouble.empty(), reply.samples(),
                    start, System.nanoTime(), reply.executorId(), java.util.Arrays.stream(reply.outputLosses()).boxed().toList(),
                    java.util.Arrays.stream(reply.outputMetrics()).boxed().toList());
        } finally {
            if (broadcast != null) {
                broadcast.destroy();
            }
        }
    }

    /** Runs {@code function} as a one-task job that prefers {@code executor}; returns what the task returned. */
    private <T> List<T> runOn(ExecutorSlot executor, FlatMapFunction<Iterator<Integer>, T> function) {
        List<Tuple2<Integer, scala.collection.immutable.Seq<String>>> one = List.of(
                new Tuple2<>(0, CollectionConverters.asScala(List.of(executor.location())).toList()));
        RDD<Integer> rdd = jsc.sc().makeRDD(CollectionConverters.asScala(one).toList(), INT_TAG);
        JavaRDD<T> job = JavaRDD.fromRDD(rdd, INT_TAG).mapPartitions(function);
        return job.collectPartitions(new int[] {0})[0];
    }

    @Override
    public long storeReads() {
        return storeReads.get();
    }

    /** Where every unit ran so far, in completion order. */
    public List<SparkRun> runs() {
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }

    /** The executors the engine found at start, by id. */
    public List<String> executorIds() {
        return executors.stream().map(ExecutorSlot::executorId).toList();
    }

    /** The Spark context the engine runs on. */
    public JavaSparkContext sparkContext() {
        return jsc;
    }

    @Override
    public void close() {
        boolean interrupted = false;
        for (ExecutorService t : threads) {
            t.shutdown();
        }
        for (ExecutorService t : threads) {
            try {
                if (!t.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    t.shutdownNow();
                }
            } catch (InterruptedException e) {
                t.shutdownNow();
                interrupted = true;
            }
        }
        try {
            // Local mode keeps the caches in this JVM, which outlives the context: free them on every executor.
            for (ExecutorSlot e : List.of(pinned).stream().distinct().toList()) {
                runOn(e, new FreeFit(fitId));
            }
        } finally {
            if (ownsContext) {
                jsc.stop(); // the executors go with the application
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The task body of a unit: runs the message on the executor. */
    private record RunUnit(UnitMessage message) implements FlatMapFunction<Iterator<Integer>, UnitReply> {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<UnitReply> call(Iterator<Integer> partition) {
            return List.of(ExecutorUnits.run(message)).iterator();
        }
    }

    /** The task body that frees an executor's caches of one fit. */
    private record FreeFit(String fitId) implements FlatMapFunction<Iterator<Integer>, Integer> {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Integer> call(Iterator<Integer> partition) {
            return List.of(ExecutorUnits.free(fitId)).iterator();
        }
    }
}
