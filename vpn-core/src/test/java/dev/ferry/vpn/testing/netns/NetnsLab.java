package dev.ferry.vpn.testing.netns;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Two fresh network namespaces joined by a veth pair, for running a VPN gateway on each side with
 * no way for traffic to reach a real network.
 *
 * <p>Layout (the same for every lab; namespaces isolate concurrent labs from each other):
 * <pre>
 *   ferry-ID-a                                      ferry-ID-b
 *   lo: 10.231.1.1/32, fd00:f0:1::1/128             lo: 10.231.2.1/32, fd00:f0:2::1/128
 *   veth ferry-a: 192.0.2.1/24, 2001:db8:f::1/64 == veth ferry-b: 192.0.2.2/24, 2001:db8:f::2/64
 * </pre>
 * The outer addresses are documentation ranges (RFC 5737, RFC 3849); the inner subnets
 * (10.231.1.0/24, 10.231.2.0/24, fd00:f0:1::/64, fd00:f0:2::/64) are private and exist only inside
 * the namespaces. There is no default route, so nothing can leave the pair.
 *
 * <p>{@link #open()} skips the calling test (see {@link LabPreconditions}) when namespaces are not
 * available, and first removes leftovers of crashed runs: namespaces named {@code ferry-*} whose
 * owning JVM is gone. {@link #close()} stops every process the lab started, kills whatever else
 * still runs in its namespaces, deletes them and removes the work directory (kept when the system
 * property {@code ferry.netns.keep} is {@code true}). A shutdown hook closes labs the test forgot.
 */
public final class NetnsLab implements AutoCloseable {
  /** Every lab namespace name starts with this; leftovers are recognised by it. */
  public static final String PREFIX = "ferry-";

  private static final Path WORK_BASE = Path.of("/tmp");
  private static final String WORK_DIR_PREFIX = "ferry-netns-";
  private static final String OWNER_FILE = "owner";
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final Path workDir;
  private final LabNamespace a;
  private final LabNamespace b;
  private final List<LabProcess> processes = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private NetnsLab(String id, Path workDir) {
    this.id = id;
    this.workDir = workDir;
    this.a = side(id, "a", 1);
    this.b = side(id, "b", 2);
    this.shutdownHook = new Thread(this::closeQuietly, "netns-lab-" + id + "-cleanup");
  }

  /**
   * Creates a lab, or skips the calling test with a visible reason when network namespaces cannot
   * be used here. Throws {@link LabException} when the environment looked usable but building the
   * lab failed (that is a real failure, not a reason to skip).
   */
  public static NetnsLab open() {
    LabPreconditions.assumeNetnsLab();
    removeLeftovers();
    String id = freshId();
    Path workDir = WORK_BASE.resolve(WORK_DIR_PREFIX + id);
    try {
      Files.createDirectories(workDir);
      // Written before the namespaces exist, so a concurrent leftover sweep never sees an
      // ownerless namespace of a live lab.
      Files.writeString(workDir.resolve(OWNER_FILE), ownerStamp(ProcessHandle.current()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create lab work directory " + workDir, e);
    }
    NetnsLab lab = new NetnsLab(id, workDir);
    Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
    try {
      lab.build();
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  public String id() {
    return id;
  }

  /** The first namespace (conventionally the strongSwan side). */
  public LabNamespace a() {
    return a;
  }

  /** The second namespace (conventionally the endpoint under test). */
  public LabNamespace b() {
    return b;
  }

  /** A private directory for configuration, sockets and logs of this lab (short path). */
  public Path workDir() {
    return workDir;
  }

  /** Runs {@code command} inside {@code ns} and waits up to {@code timeout} for it. */
  public CommandResult exec(LabNamespace ns, Duration timeout, List<String> command) {
    return Commands.run(inNamespace(ns, command), timeout);
  }

  /** Varargs form of {@link #exec(LabNamespace, Duration, List)}. */
  public CommandResult exec(LabNamespace ns, Duration timeout, String... command) {
    return exec(ns, timeout, List.of(command));
  }

  /** Like {@link #exec(LabNamespace, Duration, List)} but throws {@link LabException} on failure. */
  public CommandResult execChecked(LabNamespace ns, Duration timeout, String... command) {
    return exec(ns, timeout, List.of(command)).requireSuccess();
  }

  /**
   * Starts a long-running process inside {@code ns} with extra environment variables; its output
   * goes to {@code label.out} in the work directory. The lab stops it on close.
   */
  public LabProcess start(
      LabNamespace ns, String label, Map<String, String> env, List<String> command) {
    requireOpen();
    if (!label.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("process label must be a plain file name, got " + label);
    }
    Path output = workDir.resolve(label + ".out");
    ProcessBuilder builder = new ProcessBuilder(inNamespace(ns, command));
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    try {
      LabProcess process = new LabProcess(label, builder.start(), output);
      processes.add(process);
      return process;
    } catch (IOException e) {
      throw new LabException("cannot start " + label + " in " + ns.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The command line that runs {@code mainClass} in a fresh JVM like the current one (same java
   * executable and class path, native access enabled), for starting a Java endpoint inside a
   * namespace with {@link #start}: a JVM cannot move its own sockets into another namespace.
   */
  public static List<String> javaCommand(String mainClass, List<String> args) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    return command;
  }

  /**
   * Sends {@code count} ICMP echo requests from {@code source} (an address of {@code from}) to
   * {@code destination}, a quarter second apart, waiting at most two seconds for each reply.
   */
  public CommandResult ping(LabNamespace from, IpAddress source, IpAddress destination, int count) {
    return exec(from, Duration.ofSeconds(5L + count),
        "ping", "-n", "-c", Integer.toString(count), "-i", "0.25", "-W", "2",
        "-I", source.toString(), destination.toString());
  }

  /** Stops processes, deletes both namespaces and the work directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (LabProcess process : processes) {
      process.stop(Duration.ofSeconds(5));
    }
    for (LabNamespace ns : List.of(a, b)) {
      deleteNamespace(ns.name());
    }
    if (!Boolean.getBoolean("ferry.netns.keep")) {
      deleteTree(workDir);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: this call came from the hook itself.
    }
  }

  @Override
  public String toString() {
    return "NetnsLab[" + a.name() + " <-> " + b.name() + ", " + workDir + "]";
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("netns lab " + id + ": cleanup failed: " + e.getMessage());
    }
  }

  private synchronized void requireOpen() {
    if (closed) {
      throw new LabException("lab " + id + " is closed");
    }
  }

  private void build() {
    ip("netns", "add", a.name());
    ip("netns", "add", b.name());
    // Created inside the namespaces directly, so the short interface names never clash with the
    // root namespace or with concurrent labs.
    ip("-n", a.name(), "link", "add", a.outerInterface(), "type", "veth",
        "peer", "name", b.outerInterface(), "netns", b.name());
    for (LabNamespace ns : List.of(a, b)) {
      ip("-n", ns.name(), "link", "set", "lo", "up");
      ip("-n", ns.name(), "addr", "add", ns.outerV4() + "/24", "dev", ns.outerInterface());
      // nodad: the address is usable at once instead of after duplicate address detection.
      ip("-n", ns.name(), "-6", "addr", "add", ns.outerV6() + "/64", "dev", ns.outerInterface(),
          "nodad");
      ip("-n", ns.name(), "link", "set", ns.outerInterface(), "up");
      // The inner hosts sit on loopback (this kernel has no dummy interfaces); the subnets are
      // reachable from the peer only through a tunnel.
      ip("-n", ns.name(), "addr", "add", ns.innerHost(IpFamily.IPV4) + "/32",
          "dev", "lo");
      ip("-n", ns.name(), "-6", "addr", "add",
          ns.innerHost(IpFamily.IPV6) + "/128", "dev", "lo");
    }
  }

  private static LabNamespace side(String id, String side, int index) {
    return new LabNamespace(
        PREFIX + id + "-" + side,
        side,
        "ferry-" + side,
        IpAddress.parse("192.0.2." + index),
        IpAddress.parse("2001:db8:f::" + index),
        IpPrefix.parse("10.231." + index + ".0/24"),
        IpPrefix.parse("fd00:f0:" + index + "::/64"));
  }

  private static List<String> inNamespace(LabNamespace ns, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    full.addAll(command);
    return full;
  }

  private static void ip(String... args) {
    List<String> command = new ArrayList<>();
    command.add("ip");
    command.addAll(List.of(args));
    Commands.run(command, IP_TIMEOUT).requireSuccess();
  }

  private static String freshId() {
    List<String> existing = listNamespaces();
    while (true) {
      byte[] bytes = new byte[3];
      RANDOM.nextBytes(bytes);
      String candidate = HexFormat.of().formatHex(bytes);
      if (existing.stream().noneMatch(name -> name.startsWith(PREFIX + candidate + "-"))
          && !Files.exists(WORK_BASE.resolve(WORK_DIR_PREFIX + candidate))) {
        return candidate;
      }
    }
  }

  private static List<String> listNamespaces() {
    CommandResult list = Commands.run(List.of("ip", "netns", "list"), IP_TIMEOUT).requireSuccess();
    // Lines look like "ferry-1a2b3c-a (id: 4)" or just "name".
    return list.stdout().lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .map(line -> line.split("\\s+")[0])
        .toList();
  }

  /**
   * Deletes namespaces named {@code ferry-ID-*} whose lab owner (recorded in the work directory)
   * is no longer running, together with the processes inside them and the work directory.
   */
  static void removeLeftovers() {
    for (String name : listNamespaces()) {
      Optional<String> labId = labIdOf(name);
      if (labId.isEmpty()) {
        continue;
      }
      Path dir = WORK_BASE.resolve(WORK_DIR_PREFIX + labId.get());
      if (ownerAlive(dir.resolve(OWNER_FILE))) {
        continue;
      }
      System.err.println("[netns-lab] removing leftover namespace " + name + " of a crashed run");
      deleteNamespace(name);
      deleteTree(dir);
    }
  }

  static Optional<String> labIdOf(String namespace) {
    if (!namespace.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String rest = namespace.substring(PREFIX.length());
    int dash = rest.lastIndexOf('-');
    if (dash <= 0 || !rest.substring(0, dash).matches("[0-9a-f]{6}")) {
      return Optional.empty();
    }
    return Optional.of(rest.substring(0, dash));
  }

  private static String ownerStamp(ProcessHandle process) {
    long start = process.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    return process.pid() + " " + start + "\n";
  }

  private static boolean ownerAlive(Path ownerFile) {
    String recorded;
    try {
      recorded = Files.readString(ownerFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return false;
    }
    String[] parts = recorded.strip().split(" ");
    if (parts.length != 2) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      return false;
    }
    // A recycled pid has a different start time, so it does not keep a dead lab's namespaces.
    return ProcessHandle.of(pid).map(p -> ownerStamp(p).strip().equals(recorded.strip()))
        .orElse(false);
  }

  private static void deleteNamespace(String name) {
    CommandResult pids = Commands.run(List.of("ip", "netns", "pids", name), IP_TIMEOUT);
    if (pids.succeeded()) {
      pids.stdout().lines().map(String::strip).filter(s -> s.matches("\\d+"))
          .map(Long::parseLong)
          .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
    Commands.run(List.of("ip", "netns", "del", name), IP_TIMEOUT);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("[netns-lab] could not delete " + dir + ": " + e.getMessage());
    }
  }
}
