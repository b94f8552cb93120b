package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpFamily;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads the routing tables of the current network namespace by running iproute2: {@code ip -j -4
 * route show table all} and {@code ip -j -6 route show table all}. Runs nothing until {@link
 * #read} is called; each run has a time limit.
 */
public final class IpRouteReader {

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_ERROR_TEXT = 300;

  private final List<String> command;
  private final Duration timeout;

  /** Runs {@code ip} from the PATH with a 5 second limit per run. */
  public IpRouteReader() {
    this(List.of("ip"), DEFAULT_TIMEOUT);
  }

  /**
   * @param command the program (and any leading arguments) standing in for {@code ip}; the
   *     arguments {@code -j -4|-6 route show table all} are appended
   * @param timeout the limit for each of the two runs
   */
  public IpRouteReader(List<String> command, Duration timeout) {
    this.command = List.copyOf(command);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (this.command.isEmpty()) {
      throw new IllegalArgumentException("the ip command is empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout " + timeout + " must be positive");
    }
  }

  /** Both families, all tables. */
  public RouteTable read() throws IOException {
    List<Route> routes = new ArrayList<>(readFamily(IpFamily.IPV4).routes());
    routes.addAll(readFamily(IpFamily.IPV6).routes());
    return RouteTable.of(routes);
  }

  /** One family, all tables. IPv6 disabled in the kernel reads as no IPv6 routes. */
  public RouteTable readFamily(IpFamily family) throws IOException {
    String flag = family == IpFamily.IPV4 ? "-4" : "-6";
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("-j", flag, "route", "show", "table", "all"));
    Result result = run(args);
    if (result.exitCode != 0) {
      if (family == IpFamily.IPV6 && result.stderr.contains("Address family not supported")) {
        return RouteTable.empty();
      }
      throw new IOException("'" + String.join(" ", args) + "' exited with status "
          + result.exitCode + ": " + abbreviate(result.stderr.strip()));
    }
    try {
      // "table all" prints the table of every route except main's, so absent means main.
      return IpRouteJson.parse(result.stdout, family, RouteTableId.MAIN);
    } catch (RouteFormatException e) {
      throw new IOException("cannot read the output of '" + String.join(" ", args) + "': "
          + e.getMessage(), e);
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result run(List<String> args) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(args).start();
    } catch (IOException e) {
      throw new IOException("cannot run '" + args.get(0) + "' (iproute2's ip is needed to read"
          + " the routing table; install iproute2 or pass the table with --node-routes): "
          + e.getMessage(), e);
    }
    process.getOutputStream().close();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("'" + String.join(" ", args) + "' did not finish within " + timeout);
      }
      return new Result(process.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for '" + String.join(" ", args) + "'", e);
    } catch (ExecutionException e) {
      throw new IOException("cannot read the output of '" + String.join(" ", args) + "'", e.getCause());
    }
  }

  /** Reads a stream to its end on another thread so that neither pipe can fill and block ip. */
  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (in) {
        result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT - 3) + "...";
  }
}
