package dev.ferry.vpn.esp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link LinuxTunProbe} in a child JVM inside a network namespace this test creates and
 * deletes, so the TUN devices, addresses, routes and packets never touch the host's network. Needs
 * root, {@code /dev/net/tun} and iproute2; skips with the reason otherwise. A failsafe test, so the
 * child loads vpn-esp from its multi-release jar and runs the JDK 22 {@link LinuxTun} (run from
 * target/classes, the child gets the versioned classes first on its class path instead).
 */
class LinuxTunNamespaceIT {

  private static final List<String> REQUIRED_CHECKS = List.of(
      "name-resolved", "mtu-and-up", "addresses", "routes", "udp4-echo", "udp6-echo",
      "udp4-routed-subnet-echo", "icmp4-echo", "icmp6-echo", "close-wakes-reader",
      "read-after-close", "write-after-close", "device-removed", "routes-removed", "multi-queue",
      "write-drops-refused-packets", "tunsetiff-error", "failed-create-undoes",
      "offload-mode-offload", "tcp4-through-device-offload", "tcp6-through-device-offload",
      "tso-super-packets-split", "gro-super-packets-written", "offload-no-drops",
      "offload-mode-plain", "tcp4-through-device-plain", "tcp6-through-device-plain");

  @Test
  void linuxTunCarriesRealPacketsInsideAFreshNamespace() throws Exception {
    assumeTrue(isRoot(), "needs root to create a network namespace and TUN devices");
    assumeTrue(Files.exists(Path.of("/dev/net/tun")), "/dev/net/tun is missing on this host");
    assumeTrue(run(List.of("ip", "netns", "list"), 10).exit() == 0, "iproute2 'ip netns' is missing");

    String namespace = "ferry-tun-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Result added = run(List.of("ip", "netns", "add", namespace), 10);
    assertEquals(0, added.exit(), added.output());
    try {
      run(List.of("ip", "-n", namespace, "link", "set", "lo", "up"), 10);
      List<String> child = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED",
          "-cp", childClassPath(),
          LinuxTunProbe.class.getName(), "--bench"));
      Result probe = run(child, 180);
      System.out.println("LinuxTunProbe in namespace " + namespace + ":\n" + probe.output());
      List<String> lines = probe.output().lines().toList();
      for (String check : REQUIRED_CHECKS) {
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("check " + check + " ok")),
            "check " + check + " did not pass:\n" + probe.output());
      }
      assertTrue(lines.stream().noneMatch(l -> l.contains(" FAIL")), probe.output());
      assertEquals(0, probe.exit(), probe.output());
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("measure read-pps-1400 ")), probe.output());
      Files.writeString(Path.of("target", "linux-tun-probe.txt"), probe.output());
    } finally {
      Result deleted = run(List.of("ip", "netns", "del", namespace), 10);
      assertEquals(0, deleted.exit(), deleted.output());
    }
  }

  /**
   * This JVM's class path, with the versioned classes first when vpn-esp comes from a classes
   * directory (which, unlike the jar, has no multi-release view).
   */
  private static String childClassPath() throws Exception {
    Path location =
        Path.of(LinuxTun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String classPath = System.getProperty("java.class.path");
    Path versioned = location.resolve("META-INF/versions/22");
    return Files.isDirectory(versioned) ? versioned + File.pathSeparator + classPath : classPath;
  }

  record Result(int exit, String output) {}

  private static Result run(List<String> command, int timeoutSeconds) throws IOException,
      InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[][] output = new byte[1][];
    Thread drain = new Thread(() -> {
      try {
        output[0] = process.getInputStream().readAllBytes();
      } catch (IOException e) {
        output[0] = e.toString().getBytes(StandardCharsets.UTF_8);
      }
    });
    drain.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    drain.join();
    return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
  }

  private static boolean isRoot() throws IOException {
    // /proc/self/status "Uid:" lists real, effective, saved and filesystem uids.
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("Uid:"))
        .anyMatch(l -> l.split("\\s+")[2].equals("0"));
  }
}
