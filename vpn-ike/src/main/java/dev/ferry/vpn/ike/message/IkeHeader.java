package dev.ferry.vpn.ike.message;

import java.util.Objects;

/**
 * The fixed 28-octet IKE header as it was received or sent (RFC 7296 section 3.1).
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>SPIs are the raw 64-bit fields (0 for a responder SPI not yet chosen). {@code messageId} and
 * {@code length} are unsigned 32-bit numbers held in a {@code long} (0..0xFFFFFFFF). {@code flags}
 * is the raw flags octet; {@link #isInitiator}, {@link #isResponse} and {@link #higherVersion} read
 * its bits. This record describes framing; the message content lives in {@link IkeMessage}.
 */
public record IkeHeader(
    long initiatorSpi,
    long responderSpi,
    PayloadType nextPayload,
    int majorVersion,
    int minorVersion,
    ExchangeType exchangeType,
    int flags,
    long messageId,
    long length) {

  /** Octets in the fixed header. */
  public static final int LENGTH = 28;
  /** The IKEv2 major version (RFC 7296 section 3.1). */
  public static final int MAJOR_VERSION = 2;
  /** Flags bit 3: set by the original initiator of the IKE SA. */
  public static final int FLAG_INITIATOR = 0x08;
  /** Flags bit 4: the sender can speak a higher major version. */
  public static final int FLAG_VERSION = 0x10;
  /** Flags bit 5: the message is a response. */
  public static final int FLAG_RESPONSE = 0x20;

  public IkeHeader {
    Objects.requireNonNull(nextPayload, "nextPayload");
    Objects.requireNonNull(exchangeType, "exchangeType");
    checkNibble("majorVersion", majorVersion);
    checkNibble("minorVersion", minorVersion);
    if (flags < 0 || flags > 0xff) {
      throw new IllegalArgumentException("flags " + flags + " is not one octet");
    }
    checkUnsigned32("messageId", messageId);
    checkUnsigned32("length", length);
  }

  private static void checkNibble(String field, int value) {
    if (value < 0 || value > 15) {
      throw new IllegalArgumentException(field + " " + value + " is outside 0..15");
    }
  }

  static void checkUnsigned32(String field, long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(field + " " + value + " is not an unsigned 32-bit number");
    }
  }

  /**
   * Reads the header at {@code buf[offset, offset+length)} without validating anything beyond its
   * presence, for dispatch by SPI before a full decode. Returns null when fewer than 28 octets are
   * available. Never reads outside the range; allocates only the returned record.
   */
  public static IkeHeader peek(byte[] buf, int offset, int length) {
    if (buf == null || offset < 0 || length < LENGTH || offset > buf.length - length) {
      return null;
    }
    int versions = buf[offset + 17] & 0xff;
    return new IkeHeader(
        WireReader.u64(buf, offset),
        WireReader.u64(buf, offset + 8),
        PayloadType.valueOf(buf[offset + 16] & 0xff),
        versions >>> 4,
        versions & 0x0f,
        ExchangeType.valueOf(buf[offset + 18] & 0xff),
        buf[offset + 19] & 0xff,
        WireReader.u32(buf, offset + 20),
        WireReader.u32(buf, offset + 24));
  }

  /** The I flag: the sender is the original initiator of the IKE SA. */
  public boolean isInitiator() {
    return (flags & FLAG_INITIATOR) != 0;
  }

  /** The R flag: this is a response. */
  public boolean isResponse() {
    return (flags & FLAG_RESPONSE) != 0;
  }

  /** The V flag: the sender could speak a higher major version (ignored on receipt). */
  public boolean higherVersion() {
    return (flags & FLAG_VERSION) != 0;
  }

  /** Writes the 28 octets at {@code dst[offset]}. */
  void writeTo(byte[] dst, int offset) {
    WireWriter.putU64(dst, offset, initiatorSpi);
    WireWriter.putU64(dst, offset + 8, responderSpi);
    dst[offset + 16] = (byte) nextPayload.value();
    dst[offset + 17] = (byte) (majorVersion << 4 | minorVersion);
    dst[offset + 18] = (byte) exchangeType.value();
    dst[offset + 19] = (byte) flags;
    WireWriter.putU32(dst, offset + 20, messageId);
    WireWriter.putU32(dst, offset + 24, length);
  }
}
