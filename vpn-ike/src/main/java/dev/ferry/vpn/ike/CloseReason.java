package dev.ferry.vpn.ike;

import java.util.Objects;

/**
 * Why an IKE SA ended or could not be established. Messages name the peer and the rule broken but
 * never secrets (a wrong pre-shared key is reported as an authentication failure, not the key).
 */
public sealed interface CloseReason {

  /** A human-readable explanation for logs and events. */
  String message();

  /** The local application closed it (or the endpoint was shut down). */
  record Requested() implements CloseReason {
    @Override
    public String message() {
      return "closed locally";
    }
  }

  /** The peer deleted the IKE SA (RFC 7296 section 1.4.1). */
  record PeerDeleted() implements CloseReason {
    @Override
    public String message() {
      return "deleted by the peer";
    }
  }

  /**
   * The peer authenticated a new IKE SA with INITIAL_CONTACT, so this older one with the same
   * identity is stale and was dropped without a delete exchange (RFC 7296 section 2.4).
   */
  record Superseded(String peerIdentity) implements CloseReason {
    public Superseded {
      Objects.requireNonNull(peerIdentity, "peerIdentity");
    }

    @Override
    public String message() {
      return "superseded: peer " + peerIdentity + " started over with INITIAL_CONTACT";
    }
  }

  /** A request stayed unanswered after every retransmission (RFC 7296 section 2.1, 2.4). */
  record Timeout(String exchange) implements CloseReason {
    public Timeout {
      Objects.requireNonNull(exchange, "exchange");
    }

    @Override
    public String message() {
      return exchange + " request unanswered after all retransmissions; peer is unreachable";
    }
  }

  /**
   * The negotiation failed with an IKE error notification (sent or received), such as
   * NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD without an acceptable group, TS_UNACCEPTABLE or
   * INVALID_SYNTAX.
   *
   * @param notifyType the notify type name, e.g. {@code NO_PROPOSAL_CHOSEN}
   * @param sentByPeer true when the peer reported it, false when we rejected the peer
   */
  record ProtocolError(String notifyType, boolean sentByPeer, String detail) implements CloseReason {
    public ProtocolError {
      Objects.requireNonNull(notifyType, "notifyType");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String message() {
      return (sentByPeer ? "peer reported " : "rejected peer with ") + notifyType + ": " + detail;
    }
  }

  /**
   * Authentication failed (RFC 7296 section 2.15): the peer's AUTH did not verify, the peer
   * answered AUTHENTICATION_FAILED, or its identity is not the configured one.
   */
  record AuthenticationFailed(String detail) implements CloseReason {
    public AuthenticationFailed {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String message() {
      return "authentication failed: " + detail;
    }
  }

  /** A bug or unexpected exception in Ferry; the SA was torn down to stay safe. */
  record Internal(Throwable cause) implements CloseReason {
    public Internal {
      Objects.requireNonNull(cause, "cause");
    }

    @Override
    public String message() {
      return "internal error: " + cause.getClass().getSimpleName();
    }
  }
}
