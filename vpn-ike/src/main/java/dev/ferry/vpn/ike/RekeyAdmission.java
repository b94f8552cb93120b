package dev.ferry.vpn.ike;

/**
 * Whether this endpoint, as the responder of a CREATE_CHILD_SA exchange, takes on a rekey the peer
 * asks for now. A refused rekey is answered with TEMPORARY_FAILURE, which RFC 7296 section 2.25
 * reserves for "a temporary condition": the peer must not retry at once and may retry over several
 * minutes, while the SA keeps working (section 2.8). Use it to hold rekeys off while the data plane
 * cannot take new SAs (e.g. while it is being drained or reloaded). {@link #ALWAYS} is the default
 * and the in-memory twin for tests is any lambda (e.g. one refusing the first few requests).
 *
 * <p>Called on the SA executor; must be fast and must not block.
 */
@FunctionalInterface
public interface RekeyAdmission {

  /** Admits every rekey. */
  RekeyAdmission ALWAYS = (connection, kind) -> true;

  /** What the peer asks to rekey. */
  enum Kind {
    /** A CHILD SA (RFC 7296 section 1.3.3). */
    CHILD_SA,
    /** The IKE SA (RFC 7296 section 1.3.2). */
    IKE_SA
  }

  /**
   * @param connection the configured connection name of the IKE SA
   * @return true to process the rekey, false to answer TEMPORARY_FAILURE
   */
  boolean admit(String connection, Kind kind);
}
