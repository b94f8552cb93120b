package dev.ferry.vpn.ike;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of one IKE SA (after strongSwan's {@code ike_sa_state_t}), with the transitions
 * allowed between states. Every change goes through {@link #canMoveTo}, so a task that tries an
 * impossible move (say, ESTABLISHED straight from CREATED) is a bug caught at once.
 *
 * <pre>
 * CREATED -> CONNECTING -> ESTABLISHED -> REKEYING -> REKEYED -> DELETING -> DEAD
 *                             ^   |          |
 *                             +---+----------+ (rekey done or failed)
 * any state -> DELETING (delete exchange) or DEAD (timeout, failure, local teardown)
 * </pre>
 */
public enum IkeSaState {
  /** Allocated: responder before answering IKE_SA_INIT, initiator before sending it. */
  CREATED,
  /** IKE_SA_INIT or IKE_AUTH in progress. */
  CONNECTING,
  /** Authenticated both ways (RFC 7296 section 1.2); CHILD SAs may be created. */
  ESTABLISHED,
  /** A CREATE_CHILD_SA exchange is replacing this IKE SA (RFC 7296 section 2.18). */
  REKEYING,
  /** Replaced by a new IKE SA; only the deletion of this one remains. */
  REKEYED,
  /** An INFORMATIONAL exchange deleting this IKE SA is in progress (RFC 7296 section 1.4.1). */
  DELETING,
  /** Gone: no more messages are sent or accepted; its CHILD SAs are removed. */
  DEAD;

  private Set<IkeSaState> next;

  static {
    CREATED.next = EnumSet.of(CONNECTING, DELETING, DEAD);
    CONNECTING.next = EnumSet.of(ESTABLISHED, DELETING, DEAD);
    ESTABLISHED.next = EnumSet.of(REKEYING, REKEYED, DELETING, DEAD);
    REKEYING.next = EnumSet.of(ESTABLISHED, REKEYED, DELETING, DEAD);
    REKEYED.next = EnumSet.of(DELETING, DEAD);
    DELETING.next = EnumSet.of(DEAD);
    DEAD.next = EnumSet.noneOf(IkeSaState.class);
  }

  /** True when an SA in this state may move to {@code target}. */
  public boolean canMoveTo(IkeSaState target) {
    return next.contains(target);
  }

  /** The states reachable in one step, for messages and tests. */
  public Set<IkeSaState> successors() {
    return EnumSet.copyOf(next.isEmpty() ? EnumSet.noneOf(IkeSaState.class) : next);
  }
}
