package dev.ferry.vpn.ike.message;

import dev.ferry.vpn.core.net.TrafficSelector;
import java.util.List;

/**
 * Traffic Selector payload, TSi or TSr by {@link #type()} (RFC 7296 section 3.13): IPv4
 * (TS_IPV4_ADDR_RANGE, type 7) and IPv6 (TS_IPV6_ADDR_RANGE, type 8) address ranges with protocol
 * and port ranges. Other selector types, and the OPAQUE port range (start 65535, end 0), are not
 * representable and decode as INVALID_SYNTAX.
 */
public record TsPayload(PayloadType type, List<TrafficSelector> selectors) implements IkePayload {
  /** TS Type of an IPv4 address range (section 3.13.1). */
  public static final int TS_IPV4_ADDR_RANGE = 7;
  /** TS Type of an IPv6 address range (section 3.13.1). */
  public static final int TS_IPV6_ADDR_RANGE = 8;

  public TsPayload {
    Checks.oneOf("TS payload type", type, PayloadType.TSI, PayloadType.TSR);
    selectors = List.copyOf(selectors);
    Checks.range("number of TSs", selectors.size(), 0xff);
  }

  @Override
  public String summary() {
    return type.equals(PayloadType.TSI) ? "TSi" : "TSr";
  }
}
