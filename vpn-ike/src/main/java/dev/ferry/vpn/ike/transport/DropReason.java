package dev.ferry.vpn.ike.transport;

/** Why a transport dropped a datagram instead of delivering or sending it. */
public enum DropReason {
  /** Received: shorter than the smallest valid datagram of its kind (IKE header, ESP header). */
  TOO_SHORT,
  /** Received: the IKE header's Length is larger than the datagram (RFC 7296 section 3.1). */
  TRUNCATED,
  /** Received: the IKE header's Length is below 28 or leaves trailing octets in the datagram. */
  LENGTH_MISMATCH,
  /** Received: ESP-in-UDP arrived but no {@link EspDatagramHandler} was given. */
  ESP_UNHANDLED,
  /** Received: the message or ESP handler threw; the transport keeps running. */
  HANDLER_FAILED,
  /** Received: the socket reported an error instead of a datagram. */
  RECEIVE_FAILED,
  /** Sent: ESP shorter than its 8-octet header or with SPI 0 (reserved for the marker). */
  ESP_INVALID,
  /**
   * Sent: the I/O thread fell behind the data plane: every ESP send batch was still waiting to be
   * written, or the socket's outgoing queue was over its limit. Dropped rather than waited for,
   * because the data plane must never block on the network.
   */
  SEND_QUEUE_FULL,
  /** Sent: the operating system refused the datagram (unreachable, buffer full). */
  SEND_FAILED,
  /** Sent: the transport was already closed. */
  SEND_AFTER_CLOSE
}
