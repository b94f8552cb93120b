package dev.ferry.vpn.esp.io.offload;

/** Why a packet read from a TUN device with {@code IFF_VNET_HDR} was dropped instead of delivered. */
public enum OffloadDrop {
  /** Shorter than the virtio_net_hdr plus a minimal IP header, or an IP version other than 4/6. */
  TRUNCATED,
  /** A gso_type we did not ask for with TUNSETOFFLOAD (UFO, USO, unknown), or one that does not
   * match the packet's IP version. */
  UNSUPPORTED_GSO,
  /** csum_start/csum_offset point outside the packet (or, for TCP GSO, not at a TCP header). */
  BAD_CHECKSUM_RANGE,
  /** gso_size 0, hdr_len beyond the packet, or IP/TCP headers that do not fit the packet. */
  BAD_GSO_HEADER,
  /** A packet or segment longer than the device MTU (what a read may return). */
  LONGER_THAN_MTU
}
