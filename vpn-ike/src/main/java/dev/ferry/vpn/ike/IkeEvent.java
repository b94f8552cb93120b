package dev.ferry.vpn.ike;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import java.util.Objects;

/**
 * What happened to a tunnel, as an {@link IkeSessionListener} sees it. Every event names the
 * connection and the peer's endpoint; none carries key material ({@link ChildSaSpec#toString()} is
 * redacted, and listeners should log events, not keys).
 */
public sealed interface IkeEvent {

  /** The configured connection name. */
  String connection();

  /** The peer's IKE endpoint when the event happened. */
  UdpEndpoint peer();

  /** An IKE SA reached ESTABLISHED (RFC 7296 section 1.2). */
  record IkeSaUp(String connection, UdpEndpoint peer, IkeSaInfo sa) implements IkeEvent {
    public IkeSaUp {
      Objects.requireNonNull(sa, "sa");
    }
  }

  /**
   * An IKE SA was replaced by a rekeyed one (RFC 7296 section 1.3.2); its CHILD SAs moved to the
   * new one, and the old one is deleted without an {@link IkeSaDown} event.
   */
  record IkeSaRekeyed(String connection, UdpEndpoint peer, IkeSaInfo old, IkeSaInfo current)
      implements IkeEvent {
    public IkeSaRekeyed {
      Objects.requireNonNull(old, "old");
      Objects.requireNonNull(current, "current");
    }
  }

  /** An IKE SA ended, or failed before it was established. */
  record IkeSaDown(String connection, UdpEndpoint peer, IkeSaInfo sa, CloseReason reason)
      implements IkeEvent {
    public IkeSaDown {
      Objects.requireNonNull(sa, "sa");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A CHILD SA was handed to the data plane. */
  record ChildSaInstalled(String connection, UdpEndpoint peer, ChildSaSpec childSa)
      implements IkeEvent {
    public ChildSaInstalled {
      Objects.requireNonNull(childSa, "childSa");
    }
  }

  /** A CHILD SA was replaced by a rekeyed one (RFC 7296 section 2.8); the old one is gone. */
  record ChildSaRekeyed(String connection, UdpEndpoint peer, ChildSaSpec old, ChildSaSpec current)
      implements IkeEvent {
    public ChildSaRekeyed {
      Objects.requireNonNull(old, "old");
      Objects.requireNonNull(current, "current");
    }
  }

  /** A CHILD SA was removed from the data plane. */
  record ChildSaDeleted(String connection, UdpEndpoint peer, ChildSaSpec childSa, String reason)
      implements IkeEvent {
    public ChildSaDeleted {
      Objects.requireNonNull(childSa, "childSa");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A CHILD SA could not be created while the IKE SA lives on (RFC 7296 section 1.2: failures of
   * the CHILD SA in IKE_AUTH do not fail the IKE SA), e.g. TS_UNACCEPTABLE or NO_PROPOSAL_CHOSEN.
   */
  record ChildSaFailed(String connection, UdpEndpoint peer, CloseReason reason)
      implements IkeEvent {
    public ChildSaFailed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
