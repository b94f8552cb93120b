package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.ProposalList;
import java.time.Duration;
import java.util.List;
import org.immutables.value.Value;

/**
 * The chart's {@code ipsec.*} keys, resolved: IKEv2 only, proposals with chart defaults applied,
 * {@code closeaction=auto} turned into {@code restart} or {@code none}, times as durations.
 */
@Value.Immutable
public interface IkeSettings {
  Duration DEFAULT_IKE_LIFETIME = Duration.ofHours(3);
  Duration DEFAULT_LIFETIME = Duration.ofHours(1);
  Duration DEFAULT_MARGIN_TIME = Duration.ofMinutes(9);

  /** {@code ipsec.ike}, or the chart default when blank. */
  @Value.Default
  default ProposalList ikeProposals() {
    return ProposalList.chartDefault(Protocol.IKE);
  }

  /** {@code ipsec.esp}, or the chart default when blank. */
  @Value.Default
  default ProposalList espProposals() {
    return ProposalList.chartDefault(Protocol.ESP);
  }

  /** {@code ipsec.auto}. */
  @Value.Default
  default StartAction startAction() {
    return StartAction.ADD;
  }

  /** {@code ipsec.closeaction}, with {@code auto} resolved. */
  @Value.Default
  default PeerAction closeAction() {
    return startAction() == StartAction.START ? PeerAction.RESTART : PeerAction.NONE;
  }

  /** {@code ipsec.dpdaction}. */
  @Value.Default
  default PeerAction dpdAction() {
    return PeerAction.RESTART;
  }

  /** {@code ipsec.ikelifetime}. */
  @Value.Default
  default Duration ikeLifetime() {
    return DEFAULT_IKE_LIFETIME;
  }

  /** {@code ipsec.lifetime} (Child SA). */
  @Value.Default
  default Duration lifetime() {
    return DEFAULT_LIFETIME;
  }

  /** {@code ipsec.margintime}: rekeying starts this long before expiry. */
  @Value.Default
  default Duration marginTime() {
    return DEFAULT_MARGIN_TIME;
  }

  /** {@code ipsec.keyingtries}. */
  @Value.Default
  default KeyingTries keyingTries() {
    return KeyingTries.FOREVER;
  }

  /** {@code ipsec.additionalOptions} lines, kept verbatim; Ferry does not interpret them. */
  List<String> additionalOptions();

  @Value.Check
  default void check() {
    for (Duration d : List.of(ikeLifetime(), lifetime(), marginTime())) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalStateException("lifetimes and margin must be positive");
      }
    }
    if (marginTime().compareTo(lifetime()) >= 0 || marginTime().compareTo(ikeLifetime()) >= 0) {
      throw new IllegalStateException("margin time must be shorter than both lifetimes");
    }
    if (ikeProposals().protocol() != Protocol.IKE || espProposals().protocol() != Protocol.ESP) {
      throw new IllegalStateException("IKE and ESP proposal lists are swapped");
    }
  }
}
