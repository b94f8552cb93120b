package dev.ferry.vpn.esp.io;

import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Configures a link through iproute2's {@code ip} command. Chosen over rtnetlink through FFM:
 * configuration runs a handful of times per tunnel, not per packet, {@code ip} is in every image
 * that can create a TUN device, and its error texts are the ones operators already know. Each
 * command runs with a timeout; a failure becomes a {@link TunException} naming the command line,
 * its exit status and what it printed.
 */
final class IpRoute2 {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String ip;

  private IpRoute2(String ip) {
    this.ip = ip;
  }

  /** The {@code ip} binary from the usual sbin directories, else whatever PATH finds. */
  static IpRoute2 locate() {
    for (String candidate : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return new IpRoute2(candidate);
      }
    }
    return new IpRoute2("ip");
  }

  static List<String> setMtu(String device, int mtu) {
    return List.of("link", "set", "dev", device, "mtu", Integer.toString(mtu));
  }

  static List<String> setUp(String device) {
    return List.of("link", "set", "dev", device, "up");
  }

  static List<String> addAddress(String device, TunAddress address) {
    List<String> args = new ArrayList<>(List.of("addr", "add", address.toString(), "dev", device));
    if (address.address().family() == IpFamily.IPV6) {
      // RFC 4862 section 5.4 duplicate address detection would hold the address "tentative" for
      // about a second; a point-to-point TUN has no neighbours to collide with.
      args.add("nodad");
    }
    return List.copyOf(args);
  }

  static List<String> deleteAddress(String device, TunAddress address) {
    return List.of("addr", "del", address.toString(), "dev", device);
  }

  static List<String> replaceRoute(String device, IpPrefix route) {
    return List.of("route", "replace", route.toString(), "dev", device);
  }

  static List<String> deleteRoute(String device, IpPrefix route) {
    return List.of("route", "del", route.toString(), "dev", device);
  }

  /** Runs {@code ip ARGS}; returns normally only if it exits 0 within the timeout. */
  void run(List<String> args) throws TunException {
    List<String> command = new ArrayList<>(args.size() + 1);
    command.add(ip);
    command.addAll(args);
    String line = String.join(" ", command);
    String operation = "ip " + args.get(0) + " " + args.get(1);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new TunException(operation, 0,
          "cannot run '" + line + "': " + e.getMessage() + " (is iproute2 installed?)");
    }
    String printed;
    try (InputStream out = process.getInputStream()) {
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new TunException(operation, 0, "'" + line + "' did not finish within " + TIMEOUT);
      }
      printed = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TunException(operation, 0, "interrupted while running '" + line + "'");
    } catch (TunException e) {
      throw e;
    } catch (IOException e) {
      throw new TunException(operation, 0, "cannot read the output of '" + line + "': " + e);
    }
    if (process.exitValue() != 0) {
      throw new TunException(operation, 0,
          "'" + line + "' failed with exit status " + process.exitValue()
              + (printed.isEmpty() ? "" : ": " + printed));
    }
  }
}
