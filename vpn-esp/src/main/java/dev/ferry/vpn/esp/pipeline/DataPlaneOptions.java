package dev.ferry.vpn.esp.pipeline;

/**
 * Settings of a {@link DataPlane}. Immutable.
 *
 * @param outerMtu the MTU of the outer path the ESP-in-UDP packets take (1500 on Ethernet); inner
 *     packets whose ESP packet would not fit get an ICMP "fragmentation needed" or "packet too
 *     big" answer (RFC 1191, RFC 8201) or, where allowed, outer fragmentation
 * @param mssClamping whether TCP SYNs in both directions get their MSS option lowered to what the
 *     tunnel carries without fragmentation (RFC 879, RFC 6691)
 * @param icmpErrorsPerSecond how many ICMP errors one inner source may receive per second (also
 *     the burst); 0 never sends any (RFC 1812 section 4.3.2.8, RFC 4443 section 2.4 (f))
 * @param batchSize how many packets the outbound worker reads from the TUN device per wakeup, and
 *     how many decrypted inbound packets are held for one TUN write at most
 */
public record DataPlaneOptions(
    int outerMtu, boolean mssClamping, int icmpErrorsPerSecond, int batchSize) {

  /** Ethernet's outer MTU, no clamping, 10 ICMP errors per second and source, batches of 64. */
  public static final DataPlaneOptions DEFAULTS = new DataPlaneOptions(1500, false, 10, 64);

  public DataPlaneOptions {
    // RFC 791: 576 octets is the smallest datagram every IPv4 host reassembles; below that an
    // ESP tunnel is not worth having. 65535 is the largest IP packet.
    if (outerMtu < 576 || outerMtu > 65535) {
      throw new IllegalArgumentException("outer MTU " + outerMtu + " is outside 576..65535");
    }
    if (icmpErrorsPerSecond < 0 || icmpErrorsPerSecond > 1_000_000) {
      throw new IllegalArgumentException(
          "ICMP errors per second " + icmpErrorsPerSecond + " is outside 0..1000000");
    }
    if (batchSize < 1 || batchSize > 4096) {
      throw new IllegalArgumentException("batch size " + batchSize + " is outside 1..4096");
    }
  }

  public DataPlaneOptions withOuterMtu(int value) {
    return new DataPlaneOptions(value, mssClamping, icmpErrorsPerSecond, batchSize);
  }

  public DataPlaneOptions withMssClamping(boolean value) {
    return new DataPlaneOptions(outerMtu, value, icmpErrorsPerSecond, batchSize);
  }

  public DataPlaneOptions withIcmpErrorsPerSecond(int value) {
    return new DataPlaneOptions(outerMtu, mssClamping, value, batchSize);
  }

  public DataPlaneOptions withBatchSize(int value) {
    return new DataPlaneOptions(outerMtu, mssClamping, icmpErrorsPerSecond, value);
  }
}
