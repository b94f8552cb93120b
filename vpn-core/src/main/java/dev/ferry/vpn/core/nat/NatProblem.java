package dev.ferry.vpn.core.nat;

import java.util.Objects;

/**
 * One reason a NAT rule cannot be used, as found by {@link NatValidation}: which list it is in
 * ({@link #LOCAL} or {@link #REMOTE}), its 0-based position there, the rule, and why.
 */
public record NatProblem(String list, int index, NatRule rule, String reason) {

  /** The chart key of the cluster-side list. */
  public static final String LOCAL = "localSubnetNAT";

  /** The chart key of the on-premises-side list. */
  public static final String REMOTE = "remoteSubnetNAT";

  public NatProblem {
    Objects.requireNonNull(list, "list");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
    if (!list.equals(LOCAL) && !list.equals(REMOTE)) {
      throw new IllegalArgumentException("list must be " + LOCAL + " or " + REMOTE + ": " + list);
    }
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative: " + index);
    }
  }

  @Override
  public String toString() {
    return list + "[" + index + "] " + rule + ": " + reason;
  }
}
