package dev.ferry.vpn.testing.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One strongSwan charon (Debian's {@code charon-systemd}) running inside a lab namespace with its
 * own strongswan.conf, vici socket and log file, driven through {@code swanctl --uri}.
 *
 * <p>Why this shape (see docs/interop.md): the kernel has no ESP, so the {@code kernel-libipsec}
 * plugin does ESP in user space through a TUN device and must be loaded before
 * {@code kernel-netlink}, otherwise CHILD SAs go to XFRM and fail. kernel-libipsec cannot receive
 * raw ESP, so charon fakes NAT detection and both sides float to UDP 4500 with ESP in UDP. Plain
 * {@code charon} insists on {@code /var/run/charon.pid}; {@code charon-systemd} writes no pid file
 * and reads the file named by {@code STRONGSWAN_CONF}, so several instances coexist.
 *
 * <p>Commands that change state ({@link #initiate}, {@link #rekeyChild}, ...) throw
 * {@link LabException} with the command output and the log tail when swanctl reports failure;
 * {@link #tryInitiate} returns the result for tests that expect failure. Listing and waiting go
 * through {@link #listSas()} and {@link #awaitSas}.
 */
public final class StrongSwanInstance implements AutoCloseable {
  private static final Duration SWANCTL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);
  /** Unix socket paths are limited to 108 bytes including the terminator (sockaddr_un). */
  private static final int MAX_SOCKET_PATH = 100;

  /**
   * Plugins charon loads, in load order. kernel-libipsec precedes kernel-netlink so that its
   * userspace IPsec backend is the one registered for SAs; kernel-netlink still provides
   * addresses and routes. openssl provides ECP and Curve448, gcm/chapoly the AEADs.
   */
  static final List<String> PLUGINS = List.of(
      "random", "nonce", "openssl", "pem", "pkcs1", "x509", "pubkey", "curve25519", "aes", "gcm",
      "chapoly", "sha1", "sha2", "hmac", "kdf", "xcbc", "cmac", "ctr", "ccm", "gmp",
      "kernel-libipsec", "kernel-netlink", "socket-default", "vici");

  private final NetnsLab lab;
  private final LabNamespace namespace;
  private final Path dir;
  private final Path confFile;
  private final Path swanctlFile;
  private final Path logFile;
  private final String viciUri;
  private final LabProcess charon;

  private StrongSwanInstance(NetnsLab lab, LabNamespace namespace, Path dir, LabProcess charon) {
    this.lab = lab;
    this.namespace = namespace;
    this.dir = dir;
    this.confFile = dir.resolve("strongswan.conf");
    this.swanctlFile = dir.resolve("swanctl.conf");
    this.logFile = dir.resolve("charon.log");
    this.viciUri = "unix://" + dir.resolve("charon.vici");
    this.charon = charon;
  }

  /** Starts charon in {@code ns} with {@link StrongSwanOptions#defaults()}. */
  public static StrongSwanInstance start(NetnsLab lab, LabNamespace ns) {
    return start(lab, ns, StrongSwanOptions.defaults());
  }

  /**
   * Writes the instance's strongswan.conf, starts {@code charon-systemd} inside {@code ns} and
   * waits until its vici socket answers. Skips the calling test when strongSwan is not installed;
   * throws {@link LabException} (with charon's output) when it is installed but does not come up.
   */
  public static StrongSwanInstance start(NetnsLab lab, LabNamespace ns, StrongSwanOptions options) {
    LabPreconditions.assumeStrongSwan();
    Path dir = lab.workDir().resolve("strongswan-" + ns.side());
    Path socket = dir.resolve("charon.vici");
    if (socket.toString().length() > MAX_SOCKET_PATH) {
      throw new LabException("vici socket path too long for a unix socket: " + socket);
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("strongswan.conf"),
          strongswanConf(socket, dir.resolve("charon.log"), options));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write strongswan.conf in " + dir, e);
    }
    String charonPath = Commands.findExecutable("charon-systemd").orElseThrow().toString();
    LabProcess process = lab.start(ns, "charon-" + ns.side(),
        Map.of("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString()),
        List.of(charonPath));
    StrongSwanInstance instance = new StrongSwanInstance(lab, ns, dir, process);
    instance.awaitVici();
    return instance;
  }

  public LabNamespace namespace() {
    return namespace;
  }

  /** {@code unix:///...} URI of this instance's vici socket, for {@code swanctl --uri}. */
  public String viciUri() {
    return viciUri;
  }

  public Path logFile() {
    return logFile;
  }

  public Path configFile() {
    return confFile;
  }

  /** Writes {@code config} as this instance's swanctl.conf (owner-only) and loads it. */
  public void load(SwanctlConfig config) {
    try {
      Files.deleteIfExists(swanctlFile);
      Files.createFile(swanctlFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(swanctlFile, config.render(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + swanctlFile, e);
    }
    loadAll();
  }

  /** {@code swanctl --load-all} from this instance's swanctl.conf (connections and secrets). */
  public void loadAll() {
    swanctlChecked("--load-all", "--noprompt", "--file", swanctlFile.toString());
  }

  /**
   * Initiates {@code child} (and its IKE SA if needed) and waits for the outcome; throws
   * {@link LabException} with the log tail when it fails.
   */
  public void initiate(String child) {
    CommandResult result = tryInitiate(child);
    if (!result.succeeded()) {
      throw failure("initiate child " + child, result);
    }
  }

  /** Like {@link #initiate} but returns swanctl's result, for tests that expect a failure. */
  public CommandResult tryInitiate(String child) {
    return swanctl("--initiate", "--child", SwanctlText.requireName(child, "child"),
        "--timeout", "20");
  }

  /** Asks charon to rekey the (newest) CHILD SA named {@code child} with CREATE_CHILD_SA. */
  public void rekeyChild(String child) {
    swanctlChecked("--rekey", "--child", SwanctlText.requireName(child, "child"));
  }

  /** Asks charon to rekey the IKE SA of connection {@code ike} (RFC 7296 section 2.18). */
  public void rekeyIke(String ike) {
    swanctlChecked("--rekey", "--ike", SwanctlText.requireName(ike, "connection"));
  }

  /** Deletes the CHILD SA named {@code child} with an INFORMATIONAL DELETE. */
  public void terminateChild(String child) {
    swanctlChecked("--terminate", "--child", SwanctlText.requireName(child, "child"),
        "--timeout", "10");
  }

  /** Deletes the IKE SA of connection {@code ike} (and its CHILD SAs) with the peer. */
  public void terminateIke(String ike) {
    swanctlChecked("--terminate", "--ike", SwanctlText.requireName(ike, "connection"),
        "--timeout", "10");
  }

  /** The current IKE and CHILD SAs of this charon. */
  public SaListing listSas() {
    CommandResult result = swanctl("--list-sas", "--pretty");
    if (!result.succeeded()) {
      throw failure("list SAs", result);
    }
    return SaListing.parse(result.stdout());
  }

  /**
   * Polls {@link #listSas()} until {@code condition} holds and returns that listing; after
   * {@code timeout} throws {@link AssertionError} naming {@code expectation} with the last listing
   * and the log tail.
   */
  public SaListing awaitSas(String expectation, Predicate<SaListing> condition, Duration timeout) {
    return Await.until(namespace.side() + ": " + expectation, timeout, this::listSas, condition,
        last -> "last listing: " + last + "\n--- charon log (tail) ---\n" + logTail(40));
  }

  /** True when charon's log contains {@code fragment}. */
  public boolean logContains(String fragment) {
    return readLog().contains(fragment);
  }

  /**
   * Waits until charon's log contains {@code fragment}; throws {@link AssertionError} with the log
   * tail after {@code timeout}.
   */
  public void awaitLog(String fragment, Duration timeout) {
    Await.until(namespace.side() + ": charon log line \"" + fragment + "\"", timeout,
        () -> logContains(fragment), found -> found,
        found -> "--- charon log (tail) ---\n" + logTail(40));
  }

  /** The last {@code lines} lines of charon's log (and its stdout/stderr if the log is empty). */
  public String logTail(int lines) {
    String log = readLog();
    if (log.isEmpty()) {
      log = readFile(charon.outputFile());
    }
    List<String> all = log.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Stops charon (SIGTERM: it deletes its SAs with the peer first) and waits for it. */
  @Override
  public void close() {
    charon.stop(Duration.ofSeconds(5));
  }

  @Override
  public String toString() {
    return "StrongSwanInstance[" + namespace.name() + ", " + viciUri + ", " + charon + "]";
  }

  private void awaitVici() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (true) {
      if (!charon.isAlive()) {
        throw new LabException("charon-systemd in " + namespace.name() + " exited with status "
            + charon.exitValue() + " during startup\n" + logTail(40));
      }
      CommandResult stats = swanctl("--stats");
      if (stats.succeeded()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new LabException("charon in " + namespace.name() + " did not answer on " + viciUri
            + " within " + STARTUP_TIMEOUT + "\n" + stats.describeFailure() + "\n" + logTail(40));
      }
      Await.sleep(50);
    }
  }

  private CommandResult swanctl(String command, String... args) {
    List<String> argv = new ArrayList<>(List.of("swanctl", command, "--uri", viciUri));
    argv.addAll(List.of(args));
    // The socket is a file path, so swanctl needs no namespace; running it inside keeps any
    // address lookups it makes local to the lab.
    return lab.exec(namespace, SWANCTL_TIMEOUT, argv);
  }

  private void swanctlChecked(String command, String... args) {
    CommandResult result = swanctl(command, args);
    if (!result.succeeded()) {
      throw failure(command + " " + String.join(" ", args), result);
    }
  }

  private LabException failure(String what, CommandResult result) {
    return new LabException(namespace.side() + ": " + what + " failed: " + result.describeFailure()
        + "\n--- charon log (tail) ---\n" + logTail(40));
  }

  private String readLog() {
    return readFile(logFile);
  }

  private static String readFile(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /**
   * The instance's strongswan.conf: explicit plugin list (nothing from /etc/strongswan.d), own
   * vici socket, file log, journal and syslog off.
   */
  static String strongswanConf(Path viciSocket, Path log, StrongSwanOptions options) {
    StringBuilder out = new StringBuilder("# generated by the Ferry interop harness\n");
    out.append("charon {\n");
    out.append("  load_modular = no\n");
    out.append("  load = ").append(String.join(" ", PLUGINS)).append('\n');
    out.append("  plugins {\n");
    out.append("    vici {\n      socket = unix://").append(viciSocket).append("\n    }\n");
    out.append("  }\n");
    out.append("  filelog {\n    lab {\n");
    out.append("      path = ").append(log).append('\n');
    out.append("      time_format = %H:%M:%S\n");
    out.append("      ike_name = yes\n");
    out.append("      flush_line = yes\n");
    options.logLevels().forEach((group, level) ->
        out.append("      ").append(group).append(" = ").append(level).append('\n'));
    out.append("    }\n  }\n");
    out.append("  syslog {\n    daemon {\n      default = -1\n    }\n  }\n");
    options.charonSettings().forEach((key, value) -> appendSetting(out, "  ", key, value));
    out.append("}\n");
    // charon-systemd falls back to the charon section, but logs to the journal by default.
    out.append("charon-systemd {\n  journal {\n    default = -1\n  }\n}\n");
    return out.toString();
  }

  /** Dotted keys become nested sections, the form strongswan.conf understands. */
  private static void appendSetting(StringBuilder out, String indent, String key, String value) {
    int dot = key.indexOf('.');
    if (dot < 0) {
      out.append(indent).append(key).append(" = ").append(value).append('\n');
      return;
    }
    out.append(indent).append(key, 0, dot).append(" {\n");
    appendSetting(out, indent + "  ", key.substring(dot + 1), value);
    out.append(indent).append("}\n");
  }
}
