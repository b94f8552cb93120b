package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.core.config.TunnelConfig;
import dev.ferry.vpn.core.nat.NatEngine;
import dev.ferry.vpn.core.nat.SourceNatTable;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.esp.io.LinuxTun;
import dev.ferry.vpn.esp.io.TunConfig;
import dev.ferry.vpn.esp.io.TunDevice;
import dev.ferry.vpn.esp.io.TunException;
import dev.ferry.vpn.esp.pipeline.DataPlane;
import dev.ferry.vpn.esp.pipeline.DataPlaneOptions;
import dev.ferry.vpn.esp.pipeline.DataPlaneStats;
import dev.ferry.vpn.esp.pipeline.TunnelMtu;
import dev.ferry.vpn.ike.transport.EspTransportLink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's ESP data plane: a Linux TUN device named {@code ferry.tunnel.device} with routes
 * for the remote subnets as the cluster sees them ({@link TunnelConfig#remoteSubnetsSeenByCluster()},
 * i.e. after {@code remoteSubnetNAT}), and a {@link DataPlane} that forwards between it and the
 * ESP-in-UDP of the endpoint's NAT-traversal sockets, applying the configured subnet/source NAT.
 *
 * <p>The device MTU is {@code min(ferry.tunnel.mtu, TunnelMtu.tunMtu(1500, outer family, suite))}
 * over every suite the ESP proposals allow, so an inner packet the kernel hands us always fits the
 * outer path without fragmentation. {@link #close()} stops forwarding and removes the routes and
 * the device.
 */
final class SidecarDataPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("ferry.sidecar");

  private final TunDevice device;
  private final DataPlane plane;

  private SidecarDataPlane(TunDevice device, DataPlane plane) {
    this.device = device;
    this.plane = plane;
  }

  /**
   * Creates the TUN device and its routes and starts forwarding for {@code endpoint}.
   *
   * @throws TunException (or its subclass {@code TunUnavailableException}) when the device cannot
   *     be created or configured; nothing is left behind then
   */
  static SidecarDataPlane start(TunnelConfig tunnel, SidecarEndpoint endpoint, IpFamily outer)
      throws TunException {
    DataPlaneOptions options = DataPlaneOptions.DEFAULTS;
    int mtu = Math.min(tunnel.ferry().mtu(),
        tunMtu(options.outerMtu(), outer, endpoint.peer().espProposals()));
    TunConfig config = TunConfig.of(tunnel.ferry().tunnelDevice(), mtu);
    for (IpPrefix route : tunnel.remoteSubnetsSeenByCluster()) {
      config = config.withRoute(route);
    }
    TunDevice device = LinuxTun.open(config);
    NatEngine nat = new NatEngine(tunnel.natPolicy(), new SourceNatTable(tunnel.sourceNatConfig()));
    DataPlane plane = DataPlane.start(device.queue(0), endpoint.childSas(), nat,
        EspTransportLink.sink(endpoint.transport()), options);
    endpoint.espLink().attach(plane);
    plane.setAcquireListener(endpoint::acquire);
    LOG.info("data plane: TUN device {} mtu {} offloads {} routes {}; NAT {}", device.name(), mtu,
        device.offloadActive() ? "on (TSO/CSUM)" : "off", config.routes(), tunnel.natPolicy());
    return new SidecarDataPlane(device, plane);
  }

  /**
   * The smallest TUN MTU over every single-algorithm suite the proposals allow (each encryption
   * transform with each integrity transform); suites the data plane cannot run do not count.
   */
  static int tunMtu(int outerMtu, IpFamily outer, ProposalList proposals) {
    int smallest = Integer.MAX_VALUE;
    for (Proposal proposal : proposals.proposals()) {
      for (Transform encryption : proposal.encryption()) {
        List<List<Transform>> integrities = new ArrayList<>();
        if (proposal.integrity().isEmpty()) {
          integrities.add(List.of());
        }
        proposal.integrity().forEach(i -> integrities.add(List.of(i)));
        for (List<Transform> integrity : integrities) {
          try {
            Proposal suite = new Proposal(proposal.protocol(), List.of(encryption), integrity,
                proposal.prf(), proposal.keyExchange(), proposal.esn());
            smallest = Math.min(smallest, TunnelMtu.tunMtu(outerMtu, outer, suite));
          } catch (IllegalArgumentException e) {
            LOG.debug("no TUN MTU for {} with {}: {}", encryption, integrity, e.getMessage());
          }
        }
      }
    }
    if (smallest == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("the data plane runs none of the ESP proposals "
          + proposals);
    }
    return smallest;
  }

  String deviceName() {
    return device.name();
  }

  DataPlaneStats stats() {
    return plane.stats();
  }

  /**
   * {@code "device=ferry0 sent=N delivered=N esp-in-ok=N drops=REASON:N,..."}: the forwarding
   * counters for the console's {@code status} (non-zero drops only).
   */
  String describe() {
    StringBuilder line = new StringBuilder("data-plane device=").append(device.name())
        .append(" sent=").append(plane.stats().sent())
        .append(" delivered=").append(plane.stats().delivered())
        .append(" icmp-errors=").append(plane.stats().icmpErrors());
    StringBuilder drops = new StringBuilder();
    plane.stats().dropSnapshot().forEach((reason, count) -> {
      if (count > 0) {
        drops.append(drops.isEmpty() ? "" : ",").append(reason.name().toLowerCase(
            java.util.Locale.ROOT)).append(':').append(count);
      }
    });
    plane.store().stats().inboundSnapshot().forEach((verdict, count) -> {
      if (count > 0) {
        drops.append(drops.isEmpty() ? "" : ",").append("esp-").append(verdict.name()
            .toLowerCase(java.util.Locale.ROOT)).append(':').append(count);
      }
    });
    return line.append(" counts=").append(drops.isEmpty() ? "-" : drops).toString();
  }

  /**
   * Removes the routes and the device (which stops the worker's reads), then closes the data
   * plane. In this order because closing the last queue's descriptor deletes a non-persistent
   * device together with its routes, after which removing them would fail.
   */
  @Override
  public void close() {
    try {
      device.close();
    } catch (IOException e) {
      LOG.warn("removing TUN device {} failed: {}", device.name(), e.getMessage());
    }
    plane.close();
  }
}
