package dev.ferry.vpn.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.testing.netns.Await;
import dev.ferry.vpn.testing.netns.CommandResult;
import dev.ferry.vpn.testing.netns.LabNamespace;
import dev.ferry.vpn.testing.netns.LabProcess;
import dev.ferry.vpn.testing.netns.NetnsLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real traffic between the lab's inner hosts for the end-to-end ITs: pings, and TCP transfers by
 * {@link TcpTransfer} child JVMs (one per namespace) whose SHA-256 is compared at both ends.
 *
 * <p>Transfer size: {@code -Dferry.e2e.transferMiB} (default 100 MiB, the figure; CI sets
 * a smaller value, see docs/interop.md).
 */
final class LabTraffic {
  static final long TRANSFER_BYTES =
      Long.getLong("ferry.e2e.transferMiB", 100L) * 1024 * 1024;
  private static final Pattern RESULT =
      Pattern.compile("(sent|received) (\\d+) sha256=(\\p{XDigit}{64})");
  private static final Duration START = Duration.ofSeconds(30);

  /** Numbers transfers JVM-wide: output files (appended to) and ports are never reused. */
  private static final AtomicInteger TRANSFERS = new AtomicInteger();

  private final NetnsLab lab;

  LabTraffic(NetnsLab lab) {
    this.lab = lab;
  }

  /** Pings {@code to} from {@code source} in {@code from}; asserts that every reply came. */
  void assertPing(LabNamespace from, IpAddress source, IpAddress to, String evidence) {
    CommandResult ping = lab.ping(from, source, to, 3);
    assertTrue(ping.succeeded() && ping.stdout().contains(" 0% packet loss"),
        "ping " + source + " -> " + to + " in " + from.name() + "\n" + ping.describeFailure()
            + "\n" + ping.stdout() + "\n" + evidence);
  }

  /** A TCP transfer in progress: its sink and source JVMs. */
  record Transfer(String label, LabProcess sink, LabProcess source, long bytes) {
    boolean running() {
      return sink.isAlive() || source.isAlive();
    }
  }

  /**
   * Starts a sink listening on {@code listen} in {@code to} and a source in {@code from} that
   * connects from {@code source} to {@code destination} (the sink's address as {@code from} sees
   * it, which differs from {@code listen} behind subnet NAT); returns once they are connected.
   */
  Transfer start(LabNamespace from, IpAddress source, LabNamespace to, IpAddress listen,
      IpAddress destination, long bytes) {
    int n = TRANSFERS.incrementAndGet();
    String port = Integer.toString(15200 + n);
    String label = "transfer-" + n;
    LabProcess sink = lab.start(to, label + "-sink", Map.of(), NetnsLab.javaCommand(
        TcpTransfer.class.getName(), List.of("sink", listen.toString(), port)));
    sink.awaitOutput("listening", START);
    LabProcess sender = lab.start(from, label + "-source", Map.of(), NetnsLab.javaCommand(
        TcpTransfer.class.getName(), List.of("source", source.toString(),
            destination.toString(), port, Long.toString(bytes), Long.toString(n * 7919L))));
    sender.awaitOutput("connected", START);
    return new Transfer(label, sink, sender, bytes);
  }

  /**
   * Waits for {@code transfer} to end and asserts that both JVMs exited 0, the sink received every
   * octet and both computed the same SHA-256. Returns the elapsed wait.
   */
  Duration awaitIntact(Transfer transfer, Duration timeout, Supplier<String> evidence) {
    long started = System.nanoTime();
    Await.until(transfer.label() + " of " + transfer.bytes() + " bytes to finish", timeout,
        () -> transfer.running() ? Optional.empty() : Optional.of(Boolean.TRUE),
        () -> tail(transfer.source()) + "\n" + tail(transfer.sink()) + "\n"
            + evidence.get());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    String context = tail(transfer.source()) + "\n" + tail(transfer.sink()) + "\n"
        + evidence.get();
    assertEquals(0, transfer.source().exitValue(), "source exit status\n" + context);
    assertEquals(0, transfer.sink().exitValue(), "sink exit status\n" + context);
    Matcher sent = result(transfer.source().output(), context);
    Matcher received = result(transfer.sink().output(), context);
    assertEquals(transfer.bytes(), Long.parseLong(received.group(2)), "bytes received\n" + context);
    assertEquals(sent.group(3), received.group(3), "SHA-256 at both ends\n" + context);
    return elapsed;
  }

  private static String tail(LabProcess process) {
    return "--- " + process.label() + " ---\n" + SidecarLab.tail(process.output(), 10, l -> true);
  }

  private static Matcher result(String output, String context) {
    Matcher m = RESULT.matcher(output);
    assertTrue(m.find(), "no transfer result line\n" + context);
    return m;
  }
}
