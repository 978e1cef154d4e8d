package io.hopper.store;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a process names itself to another that waits for its lock: "pid N on host H".
 */
final class ProcessIdentity {
    private static final String SELF = "pid " + ProcessHandle.current().pid() + " on host " + host();

    private ProcessIdentity() {
    }

    /** This process, e.g. {@code pid 1234 on host build-1}. */
    static String self() {
        return SELF;
    }

    /** The host name without a DNS look-up when the kernel or the environment gives it. */
    private static String host() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the environment, then the resolver
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
