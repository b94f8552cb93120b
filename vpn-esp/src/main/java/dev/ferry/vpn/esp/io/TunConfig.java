package dev.ferry.vpn.esp.io;

import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a TUN device should look like while the tunnel runs: its name, MTU, the addresses it
 * carries, the routes that send the remote subnets (as seen after subnet NAT) into it, how many
 * queues to open (one per worker thread) and how many packets one read returns. Immutable.
 *
 * @param name interface name of at most 15 bytes; a {@code %d} lets the kernel pick a free number
 * @param mtu device MTU, 68..65535 (576 is not enforced: RFC 791 only requires hosts to accept
 *     68), and at least 1280 when any address or route is IPv6 (RFC 8200 section 5)
 * @param addresses addresses to assign, in order
 * @param routes destinations to route into the device ({@code ip route replace PREFIX dev NAME})
 * @param queues number of queues: 1, or up to 64 with {@code IFF_MULTI_QUEUE}
 * @param batchSize most packets one read returns, 1..1024
 * @param offload whether to ask the kernel for TCP segmentation/checksum offloads ({@code
 *     IFF_VNET_HDR}, {@code TUNSETOFFLOAD}): reads then take up to 64 KiB TCP super-packets that
 *     the backend splits into MTU-sized packets, and writes coalesce TCP segments of one flow into
 *     one super-packet. Packets handed to callers are the same either way. A kernel that refuses
 *     the offloads gets the plain device. Default on.
 */
public record TunConfig(
    String name, int mtu, List<TunAddress> addresses, List<IpPrefix> routes, int queues,
    int batchSize, boolean offload) {

  /** Default read batch: large enough to amortise a wakeup, small enough to stay in L2 cache. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  public TunConfig {
    Objects.requireNonNull(name, "name");
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    // Linux IFNAMSIZ is 16 including the terminating NUL; dev_valid_name() refuses "/", ":",
    // whitespace, "." and "..".
    if (nameBytes.length == 0 || nameBytes.length > 15) {
      throw new IllegalArgumentException(
          "interface name '" + name + "' must be 1..15 bytes, is " + nameBytes.length);
    }
    if (name.equals(".") || name.equals("..") || !name.matches("[A-Za-z0-9_.%-]+")) {
      throw new IllegalArgumentException(
          "interface name '" + name + "' may use only letters, digits, '_', '-', '.' and '%d'");
    }
    if (name.indexOf('%') >= 0 && !name.matches("[^%]*%d[^%]*")) {
      throw new IllegalArgumentException(
          "interface name '" + name + "' may contain '%' only as one '%d' number pattern");
    }
    if (mtu < 68 || mtu > 65535) {
      throw new IllegalArgumentException("MTU " + mtu + " is outside 68..65535");
    }
    boolean ipv6 = addresses.stream().anyMatch(a -> a.address().family() == IpFamily.IPV6)
        || routes.stream().anyMatch(r -> r.network().family() == IpFamily.IPV6);
    if (ipv6 && mtu < 1280) {
      throw new IllegalArgumentException(
          "MTU " + mtu + " is below 1280, the IPv6 minimum (RFC 8200 section 5), and the device"
              + " carries IPv6");
    }
    if (queues < 1 || queues > 64) {
      throw new IllegalArgumentException("queue count " + queues + " is outside 1..64");
    }
    if (batchSize < 1 || batchSize > 1024) {
      throw new IllegalArgumentException("batch size " + batchSize + " is outside 1..1024");
    }
  }

  /** A configuration with offloads on (the default). */
  public TunConfig(String name, int mtu, List<TunAddress> addresses, List<IpPrefix> routes,
      int queues, int batchSize) {
    this(name, mtu, addresses, routes, queues, batchSize, true);
  }

  /** A device with no addresses or routes, one queue, the default batch size, offloads on. */
  public static TunConfig of(String name, int mtu) {
    return new TunConfig(name, mtu, List.of(), List.of(), 1, DEFAULT_BATCH_SIZE, true);
  }

  /** This configuration with one more address. */
  public TunConfig withAddress(TunAddress address) {
    List<TunAddress> more = new ArrayList<>(addresses);
    more.add(Objects.requireNonNull(address, "address"));
    return new TunConfig(name, mtu, more, routes, queues, batchSize, offload);
  }

  /** This configuration with one more route into the device. */
  public TunConfig withRoute(IpPrefix route) {
    List<IpPrefix> more = new ArrayList<>(routes);
    more.add(Objects.requireNonNull(route, "route"));
    return new TunConfig(name, mtu, addresses, more, queues, batchSize, offload);
  }

  /** This configuration with {@code queues} queues (one worker thread each). */
  public TunConfig withQueues(int queues) {
    return new TunConfig(name, mtu, addresses, routes, queues, batchSize, offload);
  }

  /** This configuration with reads of at most {@code batchSize} packets. */
  public TunConfig withBatchSize(int batchSize) {
    return new TunConfig(name, mtu, addresses, routes, queues, batchSize, offload);
  }

  /** This configuration with the TUN offloads asked for ({@code true}) or not. */
  public TunConfig withOffload(boolean offload) {
    return new TunConfig(name, mtu, addresses, routes, queues, batchSize, offload);
  }
}
