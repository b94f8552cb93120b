package dev.ferry.vpn.core.config;

/** The chart's {@code enablePodSNAT}: source-NAT pod traffic to the worker's address. */
public enum PodSnat {
  /** {@code "true"}. */
  ENABLED,
  /** {@code "false"}. */
  DISABLED,
  /** {@code "auto"}: enabled when the pod subnet is not among the local subnets. */
  AUTO
}
