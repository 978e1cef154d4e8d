package io.hopper.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Exclusive locks on files that hold across threads and processes: an operating-system lock on the file (released
 * by the kernel when the process dies, so a killed process never leaves a stale lock) plus a set of the files this
 * JVM holds (the OS lock is per process). The holder writes "pid N on host H since T" into the file so a process
 * that is refused can name it.
 */
final class FileLocks {
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();
    private static final long POLL_MILLIS = 20;

    private FileLocks() {
    }

    /** A lock held by this process; closing releases it. */
    static final class Held implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean released;

        private Held(Path file, FileChannel channel, FileLock lock) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // closing the channel releases the lock anyway
            } finally {
                HELD_HERE.remove(file);
            }
        }
    }

    /**
     * Takes the lock, waiting up to {@code wait}; then throws what {@code refusal} makes of the holder's
     * description.
     */
    static Held acquire(Path file, Duration wait, Function<String, RuntimeException> refusal) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Held held = tryAcquire(file, true);
            if (held != null) {
                return held;
            }
            if (System.nanoTime() - deadline > 0) {
                throw refusal.apply(holder(file));
            }
            sleep();
        }
    }

    /**
     * Creates {@code file} with this process's lock on it already, so that no other process can take it for a
     * free lock (a dead holder's) between its creation and its locking: the lock is taken on {@code pending}, a name
     * no other process opens, in a new directory, and the file then renamed into place (an OS lock belongs to the
     * file, not its name).
     */
    static Held createLocked(Path file, Path pending) {
        if (Files.exists(file.getParent()) || !HELD_HERE.add(file)) { // before the directory appears, so no thread of this JVM races
            throw new IllegalStateException("cannot create the lock file " + file + ": its directory exists already");
        }
        Held held = null;
        try {
            held = tryAcquire(pending, true); // creates the directory
            if (held == null) {
                throw new IllegalStateException("cannot lock " + pending + ": another thread holds it");
            }
            Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(file);
            if (held != null) {
                held.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException("cannot create the lock file " + file + ": " + io.getMessage(), io)
                    : (RuntimeException) e;
        }
        HELD_HERE.remove(pending);
        return new Held(file, held.channel, held.lock);
    }

    /**
     * Takes the lock if nobody holds it, else returns null; with {@code create} false, also null when the file does
     * not exist.
     */
    static Held tryAcquire(Path file, boolean create) {
        if (!HELD_HERE.add(file)) {
            return null;
        }
        FileChannel channel = null;
        try {
            if (create) {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } else {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                HELD_HERE.remove(file);
                return null;
            }
            byte[] me = (ProcessIdentity.self() + " since " + Instant.now()).getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me), 0);
            return new Held(file, channel, lock);
        } catch (NoSuchFileException e) {
            closeQuietly(channel);
            HELD_HERE.remove(file);
            return null;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            HELD_HERE.remove(file);
            return null;
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_HERE.remove(file);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** What the holder wrote into the lock file: "pid N on host H since T", or "another process". */
    static String holder(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).trim();
            return s.isEmpty() || s.length() > 200 ? "another process" : s;
        } catch (NoSuchFileException e) {
            return "another process";
        } catch (IOException | RuntimeException e) {
            return "another process";
        }
    }

    static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a table lock", e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
