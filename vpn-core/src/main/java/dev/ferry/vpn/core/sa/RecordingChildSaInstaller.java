package dev.ferry.vpn.core.sa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory {@link ChildSaInstaller}: keeps the installed SAs, records every call in order (so
 * tests can check make-before-break), and lets tests set counters. Enforces the installer
 * contract: outbound only after inbound, no SPI twice, no removal of unknown SPIs. Thread-safe by
 * synchronisation (it is a test double, not a data plane).
 */
public final class RecordingChildSaInstaller implements ChildSaInstaller {

  /** One recorded call. */
  public record Operation(Kind kind, int inboundSpi) {
    /** What was called. */
    public enum Kind { INSTALL_INBOUND, INSTALL_OUTBOUND, REMOVE }

    @Override
    public String toString() {
      return kind + " " + ChildSaSpec.spiText(inboundSpi);
    }
  }

  private final Map<Integer, ChildSaSpec> inbound = new LinkedHashMap<>();
  private final Map<Integer, ChildSaSpec> outbound = new LinkedHashMap<>();
  private final Map<Integer, ChildSaCounters> counters = new LinkedHashMap<>();
  private final List<Operation> operations = new ArrayList<>();

  @Override
  public synchronized void installInbound(ChildSaSpec sa) {
    if (inbound.containsKey(sa.inboundSpi())) {
      throw new IllegalStateException(
          "inbound SPI " + ChildSaSpec.spiText(sa.inboundSpi()) + " is already installed");
    }
    inbound.put(sa.inboundSpi(), sa);
    operations.add(new Operation(Operation.Kind.INSTALL_INBOUND, sa.inboundSpi()));
  }

  @Override
  public synchronized void installOutbound(ChildSaSpec sa) {
    if (!sa.equals(inbound.get(sa.inboundSpi()))) {
      throw new IllegalStateException("outbound half of " + sa
          + " installed before its inbound half (RFC 7296 section 2.8 make-before-break)");
    }
    if (outbound.containsKey(sa.inboundSpi())) {
      throw new IllegalStateException("outbound half of " + sa + " is already installed");
    }
    outbound.put(sa.inboundSpi(), sa);
    operations.add(new Operation(Operation.Kind.INSTALL_OUTBOUND, sa.inboundSpi()));
  }

  @Override
  public synchronized void remove(int inboundSpi) {
    if (inbound.remove(inboundSpi) == null) {
      throw new IllegalStateException(
          "no SA with inbound SPI " + ChildSaSpec.spiText(inboundSpi) + " is installed");
    }
    outbound.remove(inboundSpi);
    counters.remove(inboundSpi);
    operations.add(new Operation(Operation.Kind.REMOVE, inboundSpi));
  }

  @Override
  public synchronized ChildSaCounters counters(int inboundSpi) {
    if (!inbound.containsKey(inboundSpi)) {
      throw new IllegalStateException(
          "no SA with inbound SPI " + ChildSaSpec.spiText(inboundSpi) + " is installed");
    }
    return counters.getOrDefault(inboundSpi, ChildSaCounters.NONE);
  }

  /** Sets what {@link #counters} reports for an installed SA. */
  public synchronized void setCounters(int inboundSpi, ChildSaCounters value) {
    if (!inbound.containsKey(inboundSpi)) {
      throw new IllegalStateException(
          "no SA with inbound SPI " + ChildSaSpec.spiText(inboundSpi) + " is installed");
    }
    counters.put(inboundSpi, value);
  }

  /** The SAs with both halves installed, in installation order. */
  public synchronized List<ChildSaSpec> installed() {
    return List.copyOf(outbound.values());
  }

  /** The installed SA with this inbound SPI (either half installed). */
  public synchronized Optional<ChildSaSpec> byInboundSpi(int inboundSpi) {
    return Optional.ofNullable(inbound.get(inboundSpi));
  }

  /** Every call so far, in order. */
  public synchronized List<Operation> operations() {
    return List.copyOf(operations);
  }
}
