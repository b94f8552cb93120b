package dev.ferry.vpn.ike.message;

import java.util.List;

/**
 * Delete payload (RFC 7296 section 3.11): the protocol (1 IKE, 2 AH, 3 ESP), the SPI size (0 for
 * IKE, 4 for ESP and AH) and the SPIs to delete, each exactly {@code spiSize} octets.
 */
public record DeletePayload(int protocolId, int spiSize, List<Bytes> spis) implements IkePayload {
  public DeletePayload {
    Checks.range("protocol ID", protocolId, 0xff);
    Checks.range("SPI size", spiSize, 0xff);
    spis = List.copyOf(spis);
    Checks.range("number of SPIs", spis.size(), 0xffff);
    for (Bytes spi : spis) {
      if (spi.length() != spiSize) {
        throw new IllegalArgumentException(
            "SPI " + spi + " has " + spi.length() + " octets, not the SPI size " + spiSize);
      }
    }
    if ((long) spiSize * spis.size() > PayloadCodec.MAX_BODY - 4) {
      throw new IllegalArgumentException(spis.size() + " SPIs do not fit one payload");
    }
  }

  /** Deletes the IKE SA the message travels on (protocol 1, no SPIs; section 3.11). */
  public static DeletePayload ikeSa() {
    return new DeletePayload(SaProposal.PROTOCOL_IKE, 0, List.of());
  }

  /** Deletes the given ESP SAs, each named by the SPI its sender expects inbound. */
  public static DeletePayload esp(List<Bytes> spis) {
    return new DeletePayload(SaProposal.PROTOCOL_ESP, 4, spis);
  }

  @Override
  public PayloadType type() {
    return PayloadType.DELETE;
  }

  @Override
  public String summary() {
    return "D";
  }
}
