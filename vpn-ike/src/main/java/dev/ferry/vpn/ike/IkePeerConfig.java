package dev.ferry.vpn.ike;

import dev.ferry.vpn.core.config.Identity;
import dev.ferry.vpn.core.config.KeyingTries;
import dev.ferry.vpn.core.config.PeerAction;
import dev.ferry.vpn.core.config.RemoteGateway;
import dev.ferry.vpn.core.config.StartAction;
import dev.ferry.vpn.core.config.TunnelConfig;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Protocol;
import java.time.Duration;
import java.util.List;
import org.immutables.value.Value;

/**
 * Everything an {@link IkeEndpoint} needs to negotiate with one peer: identities and pre-shared
 * key, IKE and ESP proposals, the subnets each side protects, lifetimes, dead peer detection,
 * retransmission, NAT traversal and fragmentation settings. Immutable (generated as {@code
 * ImmutableIkePeerConfig}, with a builder); {@link #toString()} never shows the key.
 *
 * <p>{@link #fromTunnelConfig} maps the chart configuration, with strongSwan's defaults for what
 * the chart does not set.
 */
@Value.Immutable
public interface IkePeerConfig {
  /** strongSwan's {@code dpddelay} default when the chart does not set one. */
  Duration DEFAULT_DPD_DELAY = Duration.ofSeconds(30);
  /** strongSwan's {@code charon.fragment_size} default (RFC 7383 section 2.5.1). */
  int DEFAULT_FRAGMENT_SIZE = 1280;

  /** Connection name for logs and events. */
  String name();

  Identity localIdentity();

  /** The identity the peer must present; {@link Identity#ANY} accepts any. */
  Identity remoteIdentity();

  @Value.Redacted
  Secret presharedKey();

  ProposalList ikeProposals();

  ProposalList espProposals();

  /** Subnets behind us: our traffic selectors (TSi as initiator, TSr as responder). */
  List<IpPrefix> localSubnets();

  /** Subnets behind the peer. */
  List<IpPrefix> remoteSubnets();

  /** Where the peer is; {@code %any} for responder-only configurations. */
  @Value.Default
  default RemoteGateway remoteGateway() {
    return new RemoteGateway.Any();
  }

  @Value.Default
  default StartAction startAction() {
    return StartAction.ADD;
  }

  @Value.Default
  default Duration ikeLifetime() {
    return Duration.ofHours(3);
  }

  /** CHILD SA lifetime ({@code lifetime}). */
  @Value.Default
  default Duration childLifetime() {
    return Duration.ofHours(1);
  }

  /** Rekeying starts this long before expiry ({@code margintime}). */
  @Value.Default
  default Duration marginTime() {
    return Duration.ofMinutes(9);
  }

  /**
   * CHILD SA byte limit per direction ({@code life_bytes}): the SA is deleted when it is reached;
   * 0 (the default, since the chart sets only time lifetimes) means no limit.
   */
  @Value.Default
  default long childLifeBytes() {
    return 0;
  }

  /** Bytes after which the CHILD SA is rekeyed ({@code rekey_bytes}); 0 means never by bytes. */
  @Value.Default
  default long childRekeyBytes() {
    return 0;
  }

  /** CHILD SA packet limit per direction ({@code life_packets}); 0 means no limit. */
  @Value.Default
  default long childLifePackets() {
    return 0;
  }

  /** Packets after which the CHILD SA is rekeyed ({@code rekey_packets}); 0 means never. */
  @Value.Default
  default long childRekeyPackets() {
    return 0;
  }

  /**
   * The limits every CHILD SA of this peer is installed with: soft time at {@code childLifetime -
   * marginTime}, hard at {@code childLifetime}, and the byte and packet limits (RFC 7296 section
   * 2.8: rekey before the SA expires).
   */
  default dev.ferry.vpn.core.sa.SaLifetime childSaLifetime() {
    return new dev.ferry.vpn.core.sa.SaLifetime(childLifetime().minus(marginTime()),
        childLifetime(), childRekeyBytes(), childLifeBytes(), childRekeyPackets(),
        childLifePackets());
  }

  /** Interval of liveness checks when the peer is silent (RFC 7296 section 2.4). */
  @Value.Default
  default Duration dpdDelay() {
    return DEFAULT_DPD_DELAY;
  }

  @Value.Default
  default PeerAction dpdAction() {
    return PeerAction.RESTART;
  }

  @Value.Default
  default PeerAction closeAction() {
    return PeerAction.NONE;
  }

  @Value.Default
  default KeyingTries keyingTries() {
    return KeyingTries.FOREVER;
  }

  @Value.Default
  default RetransmissionPolicy retransmission() {
    return RetransmissionPolicy.STRONGSWAN;
  }

  /** Peer's IKE port (RFC 7296 section 2). */
  @Value.Default
  default int ikePort() {
    return 500;
  }

  /** Peer's NAT-traversal port (RFC 3948, RFC 7296 section 2.23). */
  @Value.Default
  default int natTraversalPort() {
    return 4500;
  }

  /** Largest IKE datagram before fragmenting with SKF (RFC 7383 section 2.5.1). */
  @Value.Default
  default int fragmentSize() {
    return DEFAULT_FRAGMENT_SIZE;
  }

  /**
   * Force UDP encapsulation of ESP (strongSwan's {@code encap=yes}): our NAT_DETECTION_SOURCE_IP
   * carries a random hash, so the peer sees us behind a NAT, and we act as if we were. Both sides
   * then float IKE to the NAT-traversal port and send ESP in UDP (RFC 3948), which is the only
   * framing Ferry's userspace data plane sends and receives.
   */
  @Value.Default
  default boolean forceEncapsulation() {
    return false;
  }

  /** ESP anti-replay window in packets (RFC 4303 section 3.4.3). */
  @Value.Default
  default int replayWindow() {
    return 1024;
  }

  /** Our traffic selectors: one per local subnet, any protocol and port. */
  default List<TrafficSelector> localTrafficSelectors() {
    return localSubnets().stream().map(TrafficSelector::of).toList();
  }

  /** The peer's traffic selectors: one per remote subnet. */
  default List<TrafficSelector> remoteTrafficSelectors() {
    return remoteSubnets().stream().map(TrafficSelector::of).toList();
  }

  @Value.Check
  default void check() {
    if (ikeProposals().protocol() != Protocol.IKE) {
      throw new IllegalStateException("ikeProposals must be IKE proposals, not " + ikeProposals());
    }
    if (espProposals().protocol() != Protocol.ESP) {
      throw new IllegalStateException("espProposals must be ESP proposals, not " + espProposals());
    }
    if (presharedKey().isEmpty()) {
      throw new IllegalStateException("presharedKey is empty; RFC 7296 section 2.15 needs a key");
    }
    if (localSubnets().isEmpty() || remoteSubnets().isEmpty()) {
      throw new IllegalStateException("localSubnets and remoteSubnets need at least one subnet each");
    }
    if (localIdentity().kind() == Identity.Kind.ANY || localIdentity().kind().isPlaceholder()) {
      throw new IllegalStateException(
          "localIdentity " + localIdentity() + " must be concrete (resolve placeholders first)");
    }
    if (marginTime().compareTo(childLifetime()) >= 0 || marginTime().compareTo(ikeLifetime()) >= 0) {
      throw new IllegalStateException("marginTime must be shorter than both lifetimes");
    }
    for (long[] limit : new long[][] {{childRekeyBytes(), childLifeBytes()},
        {childRekeyPackets(), childLifePackets()}}) {
      if (limit[0] < 0 || limit[1] < 0 || (limit[1] != 0 && limit[0] > limit[1])) {
        throw new IllegalStateException("CHILD SA rekey limit " + limit[0]
            + " must be non-negative and not above the life limit " + limit[1] + " (0: none)");
      }
    }
    if (dpdDelay().isNegative() || dpdDelay().isZero()) {
      throw new IllegalStateException("dpdDelay must be positive");
    }
    if (startAction() == StartAction.START && !remoteGateway().isConcrete()) {
      throw new IllegalStateException("startAction START needs a concrete remoteGateway, not %any");
    }
    // RFC 7383 section 2.5.1: fragments must fit the smallest MTU IPv4 guarantees (576).
    if (fragmentSize() < 576 || fragmentSize() > 65507) {
      throw new IllegalStateException("fragmentSize " + fragmentSize() + " must be in 576..65507");
    }
    if (ikePort() < 1 || ikePort() > 65535 || natTraversalPort() < 1 || natTraversalPort() > 65535
        || ikePort() == natTraversalPort()) {
      throw new IllegalStateException("ikePort and natTraversalPort must be distinct ports 1..65535");
    }
  }

  static ImmutableIkePeerConfig.Builder builder() {
    return ImmutableIkePeerConfig.builder();
  }

  /**
   * The peer configuration of a loaded chart configuration. The chart's identity placeholders
   * ({@code %nodePublicIP}, {@code %loadBalancerIP}) become {@code localAddress}; the local subnets
   * are those of the configured zone.
   */
  static IkePeerConfig fromTunnelConfig(TunnelConfig config, IpAddress localAddress) {
    Identity local = config.local().identity();
    if (local.kind().isPlaceholder()) {
      local = new Identity(localAddress.family() == IpFamily.IPV4
          ? Identity.Kind.IPV4_ADDR : Identity.Kind.IPV6_ADDR, localAddress.toString());
    }
    return builder()
        .name(config.sourceName())
        .localIdentity(local)
        .remoteIdentity(config.remote().identity())
        .presharedKey(config.presharedKey())
        .ikeProposals(config.ike().ikeProposals())
        .espProposals(config.ike().espProposals())
        .localSubnets(config.local().subnetsIn(config.ferry().zone()))
        .remoteSubnets(config.remote().subnets())
        .remoteGateway(config.remote().gateway())
        .startAction(config.ike().startAction())
        .ikeLifetime(config.ike().ikeLifetime())
        .childLifetime(config.ike().lifetime())
        .marginTime(config.ike().marginTime())
        .dpdAction(config.ike().dpdAction())
        .closeAction(config.ike().closeAction())
        .keyingTries(config.ike().keyingTries())
        .ikePort(config.ferry().ikePort())
        .natTraversalPort(config.ferry().natTraversalPort())
        .replayWindow(config.ferry().replayWindow())
        .build();
  }
}
