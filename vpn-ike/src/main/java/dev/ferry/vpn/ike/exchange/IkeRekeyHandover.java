package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.ike.sa.IkeSa;

/**
 * How an IKE SA rekey hands the new IKE SAs it creates to the endpoint (RFC 7296 sections 1.3.2,
 * 2.8.2). Called on the IKE SA's executor.
 */
public interface IkeRekeyHandover {

  /**
   * {@code fresh} replaced the rekeyed SA, whose CHILD SAs have already moved to it; it goes into
   * service. {@code deleteOld}: we initiated the surviving rekey, so we delete the old IKE SA
   * (section 2.18; section 2.8.2 for simultaneous rekeys).
   */
  void replaced(IkeSa fresh, boolean deleteOld);

  /**
   * {@code fresh} came out of the peer's rekey that crossed ours (section 2.8.2); until both
   * exchanges are over it is undecided whether it survives, so it must be reachable for the
   * peer's messages but not yet in service.
   */
  void candidate(IkeSa fresh);

  /**
   * {@code fresh} is the redundant SA of a simultaneous rekey and we created it, so we delete it
   * (section 2.8.2); it carries no CHILD SA.
   */
  void redundant(IkeSa fresh);
}
