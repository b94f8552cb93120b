package dev.ferry.vpn.core.sa;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.EsnMode;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import java.util.List;
import java.util.Objects;

/**
 * One negotiated ESP CHILD SA pair as the data plane needs it (RFC 7296 sections 1.3 and 2.17): the
 * inbound SPI (chosen by us, carried in packets the peer sends) and the outbound SPI (chosen by the
 * peer), the negotiated proposal with exactly one transform of each type, the keys per direction,
 * the narrowed traffic selectors (local side = what we send from), the outer tunnel endpoints,
 * whether ESP travels in UDP (RFC 3948, after NAT detection), lifetimes and the anti-replay window
 * in packets (0 disables replay checks, RFC 4303 section 3.4.3).
 *
 * <p>Immutable. {@link #toString()} never shows key material.
 *
 * @param connection the configured connection name, for logs and events
 */
public record ChildSaSpec(
    String connection,
    int inboundSpi,
    int outboundSpi,
    Proposal proposal,
    ChildSaKeys inboundKeys,
    ChildSaKeys outboundKeys,
    List<TrafficSelector> localSelectors,
    List<TrafficSelector> remoteSelectors,
    UdpEndpoint localTunnelEndpoint,
    UdpEndpoint remoteTunnelEndpoint,
    boolean udpEncapsulation,
    SaLifetime lifetime,
    int replayWindow) {

  public ChildSaSpec {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(proposal, "proposal");
    Objects.requireNonNull(inboundKeys, "inboundKeys");
    Objects.requireNonNull(outboundKeys, "outboundKeys");
    Objects.requireNonNull(localTunnelEndpoint, "localTunnelEndpoint");
    Objects.requireNonNull(remoteTunnelEndpoint, "remoteTunnelEndpoint");
    Objects.requireNonNull(lifetime, "lifetime");
    localSelectors = List.copyOf(localSelectors);
    remoteSelectors = List.copyOf(remoteSelectors);
    // RFC 4303 section 2.1: SPI 0 is reserved for local use and never appears on the wire.
    if (inboundSpi == 0 || outboundSpi == 0) {
      throw new IllegalArgumentException("ESP SPI 0 is reserved (RFC 4303 section 2.1)");
    }
    if (proposal.protocol() != Protocol.ESP) {
      throw new IllegalArgumentException("a CHILD SA carries ESP, not " + proposal.protocol());
    }
    if (proposal.encryption().size() != 1 || proposal.integrity().size() > 1
        || proposal.keyExchange().size() > 1 || proposal.effectiveEsn().size() != 1) {
      throw new IllegalArgumentException(
          "a negotiated proposal has exactly one transform of each type (RFC 7296 section 3.3), "
              + "not " + proposal);
    }
    boolean aead = proposal.isAead();
    for (ChildSaKeys keys : List.of(inboundKeys, outboundKeys)) {
      if (keys.encryptionKey().isEmpty()
          || aead == keys.salt().isEmpty()
          || aead != keys.integrityKey().isEmpty()) {
        throw new IllegalArgumentException(
            "keys " + keys + " do not fit " + proposal + ": AEAD ciphers need a key and a salt, "
                + "classic ciphers a key and an integrity key");
      }
    }
    if (localSelectors.isEmpty() || remoteSelectors.isEmpty()) {
      throw new IllegalArgumentException("a CHILD SA needs local and remote traffic selectors");
    }
    if (localTunnelEndpoint.address().family() != remoteTunnelEndpoint.address().family()) {
      throw new IllegalArgumentException(
          "tunnel endpoints " + localTunnelEndpoint + " and " + remoteTunnelEndpoint
              + " are of different address families");
    }
    if (replayWindow < 0) {
      throw new IllegalArgumentException("replay window " + replayWindow + " is negative");
    }
  }

  /** True when 64-bit Extended Sequence Numbers were negotiated (RFC 4303 section 2.2.1). */
  public boolean extendedSequenceNumbers() {
    return proposal.effectiveEsn().get(0).algorithm() == EsnMode.ESN;
  }

  /** True when a fresh key exchange (PFS) was part of the negotiation. */
  public boolean perfectForwardSecrecy() {
    return proposal.hasPfs();
  }

  /** {@code connection{in 0xc1a2b3c4, out 0x...} aes128gcm16 10.0.0.0/24 === 192.168.0.0/24}. */
  @Override
  public String toString() {
    return connection + "{in " + spiText(inboundSpi) + ", out " + spiText(outboundSpi) + "} "
        + proposal + (udpEncapsulation ? " udp-encap " : " ") + localSelectors + " === "
        + remoteSelectors;
  }

  /** An ESP SPI as strongSwan prints it: eight lower-case hex digits. */
  public static String spiText(int spi) {
    return String.format("%08x", spi);
  }
}
