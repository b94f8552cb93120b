package dev.ferry.vpn.testing.netns;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.Objects;

/**
 * One side of a {@link NetnsLab}: a network namespace, its end of the veth pair with an outer
 * address per family (TEST-NET, RFC 5737 / RFC 3849), and an inner subnet per family whose first
 * host address sits on the namespace's loopback interface. The inner subnets exist only inside the
 * namespace, so tunnel traffic between them can never leak to a real network.
 *
 * @param name the namespace name as {@code ip netns} knows it
 * @param side a short label ("a" or "b") used for file and process names
 * @param outerInterface the veth end inside this namespace
 * @param outerV4 this side's IPv4 address on the veth link
 * @param outerV6 this side's IPv6 address on the veth link
 * @param innerV4 the IPv4 subnet behind this side (traffic selector material)
 * @param innerV6 the IPv6 subnet behind this side
 */
public record LabNamespace(
    String name,
    String side,
    String outerInterface,
    IpAddress outerV4,
    IpAddress outerV6,
    IpPrefix innerV4,
    IpPrefix innerV6) {

  public LabNamespace {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(outerInterface, "outerInterface");
    requireFamily(outerV4, IpFamily.IPV4, "outerV4");
    requireFamily(outerV6, IpFamily.IPV6, "outerV6");
    requireFamily(innerV4.network(), IpFamily.IPV4, "innerV4");
    requireFamily(innerV6.network(), IpFamily.IPV6, "innerV6");
  }

  /** The outer address of the given family. */
  public IpAddress outer(IpFamily family) {
    return family == IpFamily.IPV4 ? outerV4 : outerV6;
  }

  /** The inner subnet of the given family. */
  public IpPrefix inner(IpFamily family) {
    return family == IpFamily.IPV4 ? innerV4 : innerV6;
  }

  /** The inner host address (first address after the network) configured on loopback. */
  public IpAddress innerHost(IpFamily family) {
    return inner(family).address(1);
  }

  private static void requireFamily(IpAddress address, IpFamily family, String what) {
    Objects.requireNonNull(address, what);
    if (address.family() != family) {
      throw new IllegalArgumentException(what + " must be " + family + ", got " + address);
    }
  }
}
