package dev.ferry.vpn.esp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.AddressFormatException;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunConfigTest {

  @Test
  void buildsWithAddressesRoutesAndQueues() {
    TunConfig config = TunConfig.of("ferry%d", 1400)
        .withAddress(TunAddress.parse("10.250.0.1/24"))
        .withRoute(IpPrefix.parse("10.8.0.0/16"))
        .withQueues(2)
        .withBatchSize(32);
    assertEquals(List.of(TunAddress.parse("10.250.0.1/24")), config.addresses());
    assertEquals(List.of(IpPrefix.parse("10.8.0.0/16")), config.routes());
    assertEquals(2, config.queues());
    assertEquals(32, config.batchSize());
  }

  @Test
  void offloadsAreOnUnlessSwitchedOffAndSurviveOtherChanges() {
    TunConfig config = TunConfig.of("tun0", 1400);
    assertTrue(config.offload());
    TunConfig plain = config.withOffload(false).withQueues(2).withBatchSize(8)
        .withRoute(IpPrefix.parse("10.8.0.0/16"));
    assertFalse(plain.offload());
    assertTrue(plain.withOffload(true).offload());
    assertTrue(new TunConfig("tun0", 1400, List.of(), List.of(), 1, 64).offload());
  }

  @Test
  void refusesNamesTheKernelWouldRefuse() {
    for (String bad : List.of("", "sixteen-bytes-xx", "a/b", "a b", ".", "..", "tun%s", "t%d%d")) {
      assertThrows(IllegalArgumentException.class, () -> TunConfig.of(bad, 1400), bad);
    }
    assertEquals("fifteen-bytes-x", TunConfig.of("fifteen-bytes-x", 1400).name());
  }

  @Test
  void ipv6NeedsAnMtuOfAtLeast1280() {
    TunConfig small = TunConfig.of("tun0", 1000).withAddress(TunAddress.parse("10.0.0.1/24"));
    var e = assertThrows(IllegalArgumentException.class,
        () -> small.withRoute(IpPrefix.parse("fd00::/64")));
    assertTrue(e.getMessage().contains("RFC 8200"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TunConfig.of("tun0", 67));
    assertThrows(IllegalArgumentException.class, () -> TunConfig.of("tun0", 1400).withQueues(0));
    assertThrows(IllegalArgumentException.class, () -> TunConfig.of("tun0", 1400).withBatchSize(0));
  }

  @Test
  void tunAddressKeepsItsHostBits() {
    TunAddress address = TunAddress.parse("10.250.0.1/24");
    assertEquals("10.250.0.1/24", address.toString());
    assertEquals(IpPrefix.parse("10.250.0.0/24"), address.network());
    assertEquals(128, TunAddress.parse("fd00::1").prefixLength());
    assertThrows(AddressFormatException.class, () -> TunAddress.parse("10.0.0.1/33"));
    assertThrows(AddressFormatException.class, () -> TunAddress.parse("10.0.0.1/x"));
  }

  @Test
  void ipCommandsNameTheDeviceAndSkipDadForIpv6() {
    assertEquals(List.of("addr", "add", "fd00::1/64", "dev", "tun0", "nodad"),
        IpRoute2.addAddress("tun0", TunAddress.parse("fd00::1/64")));
    assertEquals(List.of("addr", "add", "10.0.0.1/24", "dev", "tun0"),
        IpRoute2.addAddress("tun0", TunAddress.parse("10.0.0.1/24")));
    assertEquals(List.of("route", "replace", "10.8.0.0/16", "dev", "tun0"),
        IpRoute2.replaceRoute("tun0", IpPrefix.parse("10.8.0.0/16")));
    assertEquals(List.of("route", "del", "10.8.0.0/16", "dev", "tun0"),
        IpRoute2.deleteRoute("tun0", IpPrefix.parse("10.8.0.0/16")));
    assertEquals(List.of("link", "set", "dev", "tun0", "mtu", "1400"), IpRoute2.setMtu("tun0", 1400));
  }
}
