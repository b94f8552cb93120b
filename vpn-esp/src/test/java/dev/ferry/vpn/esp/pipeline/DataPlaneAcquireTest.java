package dev.ferry.vpn.esp.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.nat.NatEngine;
import dev.ferry.vpn.core.nat.NatPolicy;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.time.ManualScheduler;
import dev.ferry.vpn.esp.EspStats;
import dev.ferry.vpn.esp.SaLifetimeListener;
import dev.ferry.vpn.esp.SaStore;
import dev.ferry.vpn.esp.io.InMemoryTun;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outbound packets without a CHILD SA reach the acquire listener, rate-limited per destination. */
class DataPlaneAcquireTest {
  private long now = 5_000_000_000L;
  private final List<IpAddress> acquired = new ArrayList<>();

  private DataPlane plane() {
    ManualScheduler scheduler = new ManualScheduler();
    SaStore store = new SaStore(new CryptoProvider(new SecureRandom()), scheduler, scheduler,
        SaLifetimeListener.NONE, new EspStats());
    return DataPlane.create(new InMemoryTun(1500, 8, 64), store, new NatEngine(NatPolicy.NONE),
        (local, remote, buf, off, len) -> { }, DataPlaneOptions.DEFAULTS, () -> now);
  }

  /** A bare IPv4 header (RFC 791) with a valid checksum, protocol 253 (RFC 3692). */
  private static byte[] ipv4(String source, String destination) {
    return Ipv4Packets.packet(source, destination, 0, 20);
  }

  private static void send(DataPlane plane, byte[] packet) {
    PacketBatch batch = PacketBatch.forMtu(1, 1500);
    batch.put(0, packet, 0, packet.length);
    plane.processOutbound(batch, 1);
  }

  @Test
  void packetsWithoutAChildSa_areReportedOncePerDestinationAndSecond() {
    DataPlane plane = plane();
    plane.setAcquireListener(acquired::add);

    for (int i = 0; i < 5; i++) {
      send(plane, ipv4("10.1.0.5", "10.2.0.9"));
    }
    send(plane, ipv4("10.1.0.5", "10.2.0.10"));
    now += DataPlane.ACQUIRE_INTERVAL_NANOS - 1;
    send(plane, ipv4("10.1.0.5", "10.2.0.9"));
    now += 1;
    send(plane, ipv4("10.1.0.5", "10.2.0.9"));

    assertEquals(List.of(IpAddress.parse("10.2.0.9"), IpAddress.parse("10.2.0.10"),
        IpAddress.parse("10.2.0.9")), acquired);
    assertEquals(8, plane.stats().dropped(DataPlaneDrop.NO_POLICY));
  }

  @Test
  void withoutAListener_packetsAreOnlyCounted() {
    DataPlane plane = plane();

    send(plane, ipv4("10.1.0.5", "10.2.0.9"));
    plane.setAcquireListener(acquired::add);
    plane.setAcquireListener(AcquireListener.NONE);
    send(plane, ipv4("10.1.0.5", "10.2.0.9"));

    assertEquals(List.of(), acquired);
    assertEquals(2, plane.stats().dropped(DataPlaneDrop.NO_POLICY));
  }

  @Test
  void aThrowingListenerDoesNotBreakThePacketPath() {
    DataPlane plane = plane();
    plane.setAcquireListener(destination -> {
      throw new IllegalStateException("listener bug");
    });

    send(plane, ipv4("10.1.0.5", "10.2.0.9"));

    assertEquals(1, plane.stats().dropped(DataPlaneDrop.NO_POLICY));
  }
}
