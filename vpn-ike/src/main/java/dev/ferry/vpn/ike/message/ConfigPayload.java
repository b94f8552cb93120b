package dev.ferry.vpn.ike.message;

import java.util.List;

/**
 * Configuration payload, CP (RFC 7296 section 3.15): a CFG type and attributes. Carried for
 * completeness; site-to-site tunnels rarely use it.
 */
public record ConfigPayload(int configType, List<ConfigAttribute> attributes)
    implements IkePayload {
  /** CFG_REQUEST. */
  public static final int CFG_REQUEST = 1;
  /** CFG_REPLY. */
  public static final int CFG_REPLY = 2;
  /** CFG_SET. */
  public static final int CFG_SET = 3;
  /** CFG_ACK. */
  public static final int CFG_ACK = 4;

  public ConfigPayload {
    Checks.range("CFG type", configType, 0xff);
    attributes = List.copyOf(attributes);
  }

  @Override
  public PayloadType type() {
    return PayloadType.CP;
  }

  @Override
  public String summary() {
    return switch (configType) {
      case CFG_REQUEST -> "CPRQ";
      case CFG_REPLY -> "CPRP";
      case CFG_SET -> "CPS";
      case CFG_ACK -> "CPA";
      default -> "CP(" + configType + ")";
    };
  }
}
