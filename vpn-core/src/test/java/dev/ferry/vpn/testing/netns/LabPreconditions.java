package dev.ferry.vpn.testing.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides whether the interop lab can run here and skips (JUnit {@link Assumptions}) with a visible
 * reason when it cannot: not root, {@code ip netns} unusable, or strongSwan's packages missing.
 *
 * <p>Every skip is also recorded as a marker file under {@code target/interop-skips/} of the
 * module being tested, because CI (root, packages installed by {@code .ci/run}) must treat a
 * skipped interop test as a failure: {@code .ci/run} fails when such a marker exists.
 */
public final class LabPreconditions {
  /** Directory, relative to the module's base directory, that collects one file per skip. */
  public static final String SKIP_MARKER_DIR = "target/interop-skips";

  static final Path CHARON_PLUGIN_DIR = Path.of("/usr/lib/ipsec/plugins");

  private LabPreconditions() {}

  /** Skips the calling test unless network namespaces can be created and joined here. */
  public static void assumeNetnsLab() {
    if (!isRoot()) {
      skip("needs root to create network namespaces (running as uid " + uidLine() + ")");
    }
    if (Commands.findExecutable("ip").isEmpty()) {
      skip("the `ip` command (iproute2) is not installed");
    }
    CommandResult probe = Commands.run(List.of("ip", "netns", "list"), Duration.ofSeconds(5));
    if (!probe.succeeded()) {
      skip("`ip netns` is not usable: " + probe.stderr().strip());
    }
    if (!Files.exists(Path.of("/dev/net/tun"))) {
      skip("/dev/net/tun is missing (kernel-libipsec needs TUN devices)");
    }
  }

  /**
   * Skips the calling test unless {@link #assumeNetnsLab()} holds and Debian's strongSwan
   * packages are present: charon-systemd, swanctl, and the kernel-libipsec, openssl and vici
   * plugins.
   */
  public static void assumeStrongSwan() {
    assumeNetnsLab();
    if (Commands.findExecutable("charon-systemd").isEmpty()) {
      skip("charon-systemd is not installed (Debian package charon-systemd)");
    }
    if (Commands.findExecutable("swanctl").isEmpty()) {
      skip("swanctl is not installed (Debian package strongswan-swanctl)");
    }
    requirePlugin("kernel-libipsec", "libcharon-extra-plugins");
    requirePlugin("openssl", "libstrongswan-standard-plugins");
    requirePlugin("vici", "charon-systemd / strongswan-libcharon");
  }

  private static void requirePlugin(String plugin, String debianPackage) {
    Path file = CHARON_PLUGIN_DIR.resolve("libstrongswan-" + plugin + ".so");
    if (!Files.isRegularFile(file)) {
      skip("strongSwan plugin " + plugin + " is missing (" + file + ", Debian package "
          + debianPackage + ")");
    }
  }

  /**
   * Records the skip in {@link #SKIP_MARKER_DIR}, prints it to standard error so it is visible
   * in the build log, and aborts the calling test.
   */
  static void skip(String reason) {
    String test = callingTest().orElse("unknown-test");
    String message = "interop lab unavailable, skipping " + test + ": " + reason;
    System.err.println("[interop-skip] " + message);
    try {
      Path dir = Path.of(SKIP_MARKER_DIR);
      Files.createDirectories(dir);
      Path marker = dir.resolve(test + "-" + System.nanoTime() + ".txt");
      Files.writeString(marker, Instant.now() + " " + message + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("[interop-skip] could not write skip marker: " + e.getMessage());
    }
    Assumptions.abort(message);
  }

  static boolean isRoot() {
    return uidLine().equals("0");
  }

  /** The effective uid from /proc (the JDK has no portable API for it). */
  private static String uidLine() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).strip().split("\\s+")[1];
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  private static Optional<String> callingTest() {
    return StackWalker.getInstance().walk(frames -> frames
        .map(StackWalker.StackFrame::getClassName)
        .filter(name -> name.endsWith("Test") || name.endsWith("IT"))
        .findFirst());
  }
}
