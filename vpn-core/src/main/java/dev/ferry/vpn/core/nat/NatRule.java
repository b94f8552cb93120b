package dev.ferry.vpn.core.nat;

import dev.ferry.vpn.core.net.AddressFormatException;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.Objects;

/**
 * One {@code original=mapped} line of the strongSwan chart's {@code localSubnetNAT} or {@code
 * remoteSubnetNAT}.
 *
 * <ul>
 *   <li>Equal prefix lengths: a 1:1 subnet map (NETMAP), host bits kept, usable in both directions.
 *   <li>{@code mapped} is a single host (/32 or /128) and {@code original} is wider: many-to-one
 *       source NAT, outbound only, replies found again through connection tracking.
 *   <li>Anything else (different lengths, mixed families) is not a rule.
 * </ul>
 */
public record NatRule(IpPrefix original, IpPrefix mapped) {

  /** What a rule does, decided by the two prefix lengths. */
  public enum Kind {
    /** Same prefix length: every original address has exactly one mapped address. */
    ONE_TO_ONE,
    /** Mapped is one host address: source NAT with port/identifier allocation. */
    MANY_TO_ONE
  }

  public NatRule {
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(mapped, "mapped");
    if (original.family() != mapped.family()) {
      throw new IllegalArgumentException(
          "NAT rule " + original + "=" + mapped + " mixes IPv4 and IPv6");
    }
    if (original.prefixLength() != mapped.prefixLength() && !mapped.isHost()) {
      throw new IllegalArgumentException(
          "NAT rule " + original + "=" + mapped + ": prefix lengths differ (/"
              + original.prefixLength() + " vs /" + mapped.prefixLength()
              + "); a 1:1 map needs equal lengths, a many-to-one map needs a single mapped address");
    }
  }

  /** Parses {@code 10.171.42.0/24=10.10.10.0/24}; spaces around the parts are ignored. */
  public static NatRule parse(String text) {
    if (text == null) {
      throw new AddressFormatException(null, -1, "NAT rule is missing");
    }
    int eq = text.indexOf('=');
    if (eq < 0 || text.indexOf('=', eq + 1) >= 0) {
      throw new AddressFormatException(text, eq < 0 ? -1 : text.indexOf('=', eq + 1),
          "a NAT rule has the form original=mapped (one '=')");
    }
    IpPrefix original = IpPrefix.parse(text.substring(0, eq).strip());
    IpPrefix mapped = IpPrefix.parse(text.substring(eq + 1).strip());
    return new NatRule(original, mapped);
  }

  public Kind kind() {
    return original.prefixLength() == mapped.prefixLength() ? Kind.ONE_TO_ONE : Kind.MANY_TO_ONE;
  }

  @Override
  public String toString() {
    return original + "=" + mapped;
  }
}
