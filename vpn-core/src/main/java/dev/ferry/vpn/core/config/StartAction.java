package dev.ferry.vpn.core.config;

/** The chart's {@code ipsec.auto}: which side initiates. */
public enum StartAction {
  /** {@code start}: the cluster initiates the IKE SA. */
  START,
  /** {@code add}: the cluster waits for the peer. */
  ADD
}
