package dev.ferry.vpn.ike.message;

/**
 * EAP payload (RFC 7296 section 3.16): one EAP message (RFC 3748), carried but not interpreted by
 * Ferry. {@code toString} shows only the length because EAP messages can carry credentials.
 */
public record EapPayload(Bytes message) implements IkePayload {
  public EapPayload {
    Checks.maxLength("EAP message", message, PayloadCodec.MAX_BODY);
  }

  @Override
  public PayloadType type() {
    return PayloadType.EAP;
  }

  @Override
  public String summary() {
    return "EAP";
  }

  @Override
  public String toString() {
    return "EapPayload[" + message.length() + " octets]";
  }
}
