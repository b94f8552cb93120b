package dev.ferry.vpn.esp;

/** Which limit of a CHILD SA was reached (RFC 4301 section 4.4.2.1, SA lifetime). */
public enum LifetimeLimit {
  /** Seconds since installation. */
  TIME,
  /** Octets protected or accepted in one direction. */
  BYTES,
  /** Packets protected or accepted in one direction. */
  PACKETS,
  /** The outbound sequence number approaches or reached its end (RFC 4303 section 3.3.3). */
  SEQUENCE
}
