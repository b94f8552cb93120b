package dev.ferry.vpn.esp.io;

import java.util.Objects;

/**
 * Linux TUN devices ({@code /dev/net/tun}) through the FFM API: the JDK 22+ class of vpn-esp's
 * multi-release jar (on Java 21 the base class of the same name refuses with a {@link
 * TunUnavailableException}).
 *
 * <p>{@link #open} creates a non-persistent layer-3 device ({@code IFF_TUN | IFF_NO_PI}, plus
 * {@code IFF_MULTI_QUEUE} for more than one queue), sets its MTU, adds its addresses, brings it up
 * and routes the configured remote subnets into it with iproute2; {@link TunDevice#close} undoes
 * all of it. Needs {@code CAP_NET_ADMIN} and, from JDK 24, {@code --enable-native-access} for the
 * module {@code dev.ferry.vpn.esp} (or {@code ALL-UNNAMED} on the class path).
 *
 * <p>With {@link TunConfig#offload()} (the default) the device is opened with {@code IFF_VNET_HDR}
 * and told with {@code TUNSETOFFLOAD} that we take checksum offload and TCP segmentation offload
 * for IPv4 and IPv6 (with ECN), as wireguard-go does: the kernel then hands out TCP super-packets
 * of up to 64 KiB, which the queue splits into MTU-sized packets ("GSO in userspace"), and written
 * TCP segments of one flow are coalesced into one super-packet ("GRO in userspace"). Callers see
 * MTU-sized packets either way. If the kernel refuses one of the ioctls, the device is opened
 * plainly instead (logged once at INFO); {@link TunDevice#offloadActive()} says which mode runs.
 */
public final class LinuxTun {

  private LinuxTun() {}

  /**
   * Creates, configures and opens a TUN device as {@code config} describes.
   *
   * @throws TunUnavailableException if this host or process cannot create TUN devices at all
   * @throws TunException if a system call or configuration command fails; what was already done
   *     is undone first
   */
  public static TunDevice open(TunConfig config) throws TunException {
    Objects.requireNonNull(config, "config");
    return LinuxTunDevice.create(config);
  }
}
