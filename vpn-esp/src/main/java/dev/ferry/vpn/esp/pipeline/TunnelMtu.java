package dev.ferry.vpn.esp.pipeline;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.esp.OutboundSa;
import java.util.Objects;

/**
 * How large an inner packet may be so that its ESP-in-UDP packet fits the outer path MTU.
 *
 * <p>An inner packet of L octets becomes, on the outer path: outer IP header (20 for IPv4, 40 for
 * IPv6) + UDP header 8 (RFC 3948 section 2.1) + SPI and sequence number 8 (RFC 4303 section 2) +
 * IV (8 for AES-GCM, RFC 4106 section 3.1, and ChaCha20-Poly1305, RFC 7634 section 2; the block
 * size for CBC, RFC 3602 section 3) + the encrypted part (L + padding + pad length 1 + next header
 * 1, padded to the cipher's block size and at least to 4 octets, RFC 4303 section 2.4) + ICV (8,
 * 12 or 16 for AEAD; 12 to 32 for the HMACs of RFC 2404 and RFC 4868). The largest L is therefore
 * {@code floor((mtu - ip - 8 - 8 - iv - icv) / align) * align - 2}.
 *
 * <p>With a 1500-octet IPv4 outer MTU that gives 1438 for AES-GCM-16 and ChaCha20-Poly1305, 1442
 * for AES-GCM-12, 1446 for AES-GCM-8, 1422 for AES-CBC with HMAC-SHA2-256-128, 1406 for AES-CBC
 * with HMAC-SHA2-512-256 and 1438 for 3DES-CBC with HMAC-SHA1-96. An IPv6 outer path leaves 20
 * octets less to AEAD suites (1418 for AES-GCM-16) and, after rounding to the block, 16 less to
 * AES-CBC (1406 with HMAC-SHA2-256-128).
 */
public final class TunnelMtu {
  /** RFC 768: the UDP header of ESP-in-UDP. */
  public static final int UDP_HEADER = 8;

  /** RFC 4303 section 2: SPI and sequence number. */
  public static final int ESP_HEADER = 8;

  /** RFC 4303 section 2.4: pad length and next header. */
  public static final int ESP_TRAILER = 2;

  /** RFC 791: every IPv4 host must accept 68-octet datagrams unfragmented. */
  public static final int MIN_IPV4_MTU = 68;

  /** RFC 8200 section 5: every IPv6 link carries 1280-octet packets. */
  public static final int MIN_IPV6_MTU = 1280;

  private TunnelMtu() {}

  /** Outer IP and UDP header octets in front of an ESP packet on a path of {@code family}. */
  public static int outerHeaders(IpFamily family) {
    return (family == IpFamily.IPV4 ? 20 : 40) + UDP_HEADER;
  }

  /**
   * The TUN device MTU for SAs of {@code suite} over an outer path of {@code outerMtu} octets and
   * {@code outerFamily}: the largest inner packet whose ESP-in-UDP packet fits.
   *
   * @throws IllegalArgumentException if the suite is not one the data plane runs, or the result
   *     would be below the IPv4 minimum of 68 octets
   */
  public static int tunMtu(int outerMtu, IpFamily outerFamily, Proposal suite) {
    Objects.requireNonNull(outerFamily, "outerFamily");
    Objects.requireNonNull(suite, "suite");
    if (suite.encryption().size() != 1) {
      throw new IllegalArgumentException("a negotiated suite has one ENCR transform, not " + suite);
    }
    Transform encryption = suite.encryption().get(0);
    int iv;
    int icv;
    int align;
    if (suite.isAead()) {
      iv = 8;
      icv = CryptoProvider.tagLength(encryption);
      align = 4;
    } else {
      int block = cbcBlockSize(encryption);
      iv = block;
      icv = suite.integrity().size() == 1 ? CryptoProvider.icvLength(suite.integrity().get(0)) : 0;
      align = Math.max(4, block);
    }
    int space = outerMtu - outerHeaders(outerFamily) - ESP_HEADER - iv - icv;
    int inner = space - Math.floorMod(space, align) - ESP_TRAILER;
    if (inner < MIN_IPV4_MTU) {
      throw new IllegalArgumentException("an outer MTU of " + outerMtu + " leaves " + inner
          + " octets for inner packets of " + suite + ", below the IPv4 minimum of "
          + MIN_IPV4_MTU + " (RFC 791)");
    }
    return inner;
  }

  /**
   * The largest inner packet {@code sa} can carry over a path of {@code pathMtu} octets of {@code
   * outerFamily} (0 if none fits). Allocation-free; a binary search over {@link
   * OutboundSa#protectedLength}, which is what the data plane checks per packet.
   */
  public static int innerMtu(OutboundSa sa, int pathMtu, IpFamily outerFamily) {
    int budget = pathMtu - outerHeaders(outerFamily);
    int low = 0;
    int high = Math.max(0, budget);
    if (sa.protectedLength(0) > budget) {
      return 0;
    }
    // Invariant: protectedLength(low) fits; protectedLength grows with the inner length.
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (sa.protectedLength(mid) <= budget) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  private static int cbcBlockSize(Transform encryption) {
    if (encryption.algorithm() == EncryptionAlgorithm.AES_CBC) {
      return 16; // RFC 3602 section 2.3
    }
    if (encryption.algorithm() == EncryptionAlgorithm.TRIPLE_DES) {
      return 8; // RFC 2451 section 2.3
    }
    throw new IllegalArgumentException("the data plane does not run " + encryption);
  }
}
