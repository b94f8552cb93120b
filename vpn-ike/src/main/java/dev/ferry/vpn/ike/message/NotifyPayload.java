package dev.ferry.vpn.ike.message;

import java.util.Objects;

/**
 * Notify payload (RFC 7296 section 3.10): a protocol ID (0 or 1 for the IKE SA, 3 for ESP), an
 * optional SPI, the notify type and type-specific data.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * ~                       Notification Data                       ~
 * </pre>
 */
public record NotifyPayload(int protocolId, Bytes spi, NotifyType notifyType, Bytes data)
    implements IkePayload {

  public NotifyPayload {
    Checks.range("protocol ID", protocolId, 0xff);
    Checks.maxLength("SPI", spi, 0xff);
    Objects.requireNonNull(notifyType, "notifyType");
    Checks.maxLength("notification data", data, PayloadCodec.MAX_BODY - 4 - spi.length());
  }

  /** A notify about the IKE SA (protocol ID 0, no SPI) without data. */
  public static NotifyPayload of(NotifyType type) {
    return new NotifyPayload(0, Bytes.EMPTY, type, Bytes.EMPTY);
  }

  /** A notify about the IKE SA (protocol ID 0, no SPI) with data. */
  public static NotifyPayload of(NotifyType type, Bytes data) {
    return new NotifyPayload(0, Bytes.EMPTY, type, data);
  }

  @Override
  public PayloadType type() {
    return PayloadType.NOTIFY;
  }

  @Override
  public String summary() {
    return "N(" + notifyType.shortName() + ")";
  }
}
