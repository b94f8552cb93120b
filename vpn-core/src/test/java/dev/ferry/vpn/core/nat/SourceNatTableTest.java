package dev.ferry.vpn.core.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SourceNatTableTest {

  private static final long EXT = 0xC0A8A864L; // 192.168.168.100
  private static final long REMOTE = 0x0A010101L; // 10.1.1.1
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(42 * SECOND);

  private SourceNatTable table(int maxFlows, PortRange ports) {
    return new SourceNatTable(
        SourceNatConfig.DEFAULTS.withMaxFlows(maxFlows).withPorts(ports, ports, ports), now::get);
  }

  private static int out(SourceNatTable t, FlowProtocol p, long inside, int port, int remotePort,
      int flags) {
    return t.outbound(p, false, 0, inside, port, 0, REMOTE, remotePort, 0, EXT, flags);
  }

  private static NatFlow in(SourceNatTable t, FlowProtocol p, int extPort, int remotePort,
      int flags) {
    return t.inbound(p, false, 0, EXT, extPort, 0, REMOTE, remotePort, flags);
  }

  @Test
  void keepsTheInsidePortWhenFreeAndTheSameFlowKeepsItsPort() {
    SourceNatTable t = table(100, PortRange.UNPRIVILEGED);
    assertEquals(40000, out(t, FlowProtocol.UDP, 0x0AAB2A05L, 40000, 53, 0));
    assertEquals(40000, out(t, FlowProtocol.UDP, 0x0AAB2A05L, 40000, 53, 0));
    int other = out(t, FlowProtocol.UDP, 0x0AAB2A06L, 40000, 53, 0);
    assertTrue(other != 40000 && PortRange.UNPRIVILEGED.contains(other));
    // A privileged inside port is not kept: it is outside the range.
    assertTrue(out(t, FlowProtocol.TCP, 0x0AAB2A05L, 22, 22, 0) >= 1024);
    assertEquals(3, t.stats().created());
  }

  @Test
  void repliesMustComeFromTheRemoteEndpoint() {
    SourceNatTable t = table(100, PortRange.UNPRIVILEGED);
    int ext = out(t, FlowProtocol.UDP, 0x0AAB2A05L, 40000, 53, 0);
    NatFlow flow = in(t, FlowProtocol.UDP, ext, 53, 0);
    assertNotNull(flow);
    assertEquals("10.171.42.5", flow.insideAddress().toString());
    assertEquals(40000, flow.insidePort());
    assertNull(in(t, FlowProtocol.UDP, ext, 54, 0), "other remote port");
    assertNull(t.inbound(FlowProtocol.UDP, false, 0, EXT, ext, 0, REMOTE + 1, 53, 0));
    assertNull(in(t, FlowProtocol.TCP, ext, 53, 0), "other protocol");
  }

  @Test
  void timeoutsFollowTheRfcs() {
    SourceNatTable t = table(100, PortRange.UNPRIVILEGED);
    int udp = out(t, FlowProtocol.UDP, 1, 5000, 53, 0);
    int icmp = out(t, FlowProtocol.ICMP_ECHO, 1, 7, 0, 0);
    int tcp = out(t, FlowProtocol.TCP, 1, 6000, 443, SourceNatTable.TCP_SYN);
    assertNotNull(in(t, FlowProtocol.TCP, tcp, 443, SourceNatTable.TCP_SYN | 0x10));
    now.addAndGet(59 * SECOND);
    assertNotNull(in(t, FlowProtocol.ICMP_ECHO, icmp, 0, 0), "ICMP lives 60 s (RFC 5508)");
    now.addAndGet(60 * SECOND);
    assertNull(in(t, FlowProtocol.ICMP_ECHO, icmp, 0, 0), "ICMP idle 60 s is gone");
    now.addAndGet(180 * SECOND); // 299 s after the UDP packet
    assertNotNull(in(t, FlowProtocol.UDP, udp, 53, 0), "UDP lives 5 min after its last packet");
    now.addAndGet(300 * SECOND);
    assertNull(in(t, FlowProtocol.UDP, udp, 53, 0));
    // Established TCP: 2 h 4 min (RFC 5382 REQ-5); seen both ways above.
    now.addAndGet(Duration.ofMinutes(113).toNanos()); // 123 min after its last packet
    assertNotNull(in(t, FlowProtocol.TCP, tcp, 443, 0x10));
    // A FIN makes it transitory: 4 minutes.
    assertEquals(tcp, out(t, FlowProtocol.TCP, 1, 6000, 443, SourceNatTable.TCP_FIN | 0x10));
    now.addAndGet(Duration.ofMinutes(4).toNanos());
    assertNull(in(t, FlowProtocol.TCP, tcp, 443, 0x10));
    assertEquals(3, t.stats().expired());
  }

  @Test
  void halfOpenTcpIsTransitory() {
    SourceNatTable t = table(100, PortRange.UNPRIVILEGED);
    int tcp = out(t, FlowProtocol.TCP, 1, 6000, 443, SourceNatTable.TCP_SYN);
    now.addAndGet(Duration.ofMinutes(4).toNanos());
    assertNull(in(t, FlowProtocol.TCP, tcp, 443, SourceNatTable.TCP_SYN | 0x10));
  }

  @Test
  void fullTableRefusesCountsAndReclaimsExpiredFlows() {
    SourceNatTable t = table(3, PortRange.UNPRIVILEGED);
    for (int i = 0; i < 3; i++) {
      assertTrue(out(t, FlowProtocol.UDP, i, 5000, 53, 0) >= 0);
    }
    assertEquals(SourceNatTable.REFUSED_TABLE_FULL, out(t, FlowProtocol.UDP, 9, 5000, 53, 0));
    assertEquals(SourceNatTable.REFUSED_TABLE_FULL, out(t, FlowProtocol.ICMP_ECHO, 9, 1, 0, 0));
    assertEquals(5000, out(t, FlowProtocol.UDP, 0, 5000, 53, 0), "existing flows still work");
    assertEquals(2, t.stats().refusedTableFull());
    now.addAndGet(Duration.ofMinutes(5).toNanos());
    assertTrue(out(t, FlowProtocol.UDP, 9, 5000, 53, 0) >= 0, "expired flows were swept");
    assertEquals(new ConntrackStats(1, 4, 3, 2, 0), t.stats());
  }

  @Test
  void exhaustedPortRangeRefusesAndCounts() {
    SourceNatTable t = table(100, new PortRange(2000, 2001));
    Set<Integer> ports = new HashSet<>();
    ports.add(out(t, FlowProtocol.UDP, 1, 9, 53, 0));
    ports.add(out(t, FlowProtocol.UDP, 2, 9, 53, 0));
    assertEquals(Set.of(2000, 2001), ports);
    assertEquals(SourceNatTable.REFUSED_PORTS_EXHAUSTED, out(t, FlowProtocol.UDP, 3, 9, 53, 0));
    assertTrue(out(t, FlowProtocol.TCP, 3, 9, 53, 0) >= 0, "pools are per protocol");
    assertEquals(1, t.stats().refusedPortsExhausted());
    assertEquals(0, t.expireIdle());
    now.addAndGet(Duration.ofMinutes(5).toNanos());
    assertEquals(3, t.expireIdle()); // both UDP flows and the transitory TCP flow
    assertEquals(2000, out(t, FlowProtocol.UDP, 3, 2000, 53, 0));
  }

  @Test
  void timeoutsBelowTheRfcMinimumsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NatTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofHours(3), Duration.ofMinutes(4)));
    assertTrue(e.getMessage().contains("RFC 4787"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PortRange(10, 9));
    assertThrows(IllegalArgumentException.class,
        () -> SourceNatConfig.DEFAULTS.withMaxFlows(0));
  }

  /** One step of a random workload: a new or repeated outbound packet, or time passing. */
  record Step(int inside, int port, int remotePort, int protocol, int seconds) {}

  @Property(tries = 200)
  void liveFlowsNeverShareAnExternalTupleAndRepliesFindTheirFlow(
      @ForAll @Size(max = 120) List<@IntRange(min = 0, max = 999_999) Integer> steps,
      @ForAll @IntRange(min = 1, max = 40) int maxFlows) {
    SourceNatTable t = table(maxFlows, new PortRange(3000, 3031));
    for (int s : steps) {
      if (s % 10 == 0) {
        now.addAndGet((s / 10 % 400) * SECOND);
        continue;
      }
      FlowProtocol protocol = FlowProtocol.values()[s % 3];
      long inside = s / 3 % 7;
      int port = 3000 + s / 21 % 40;
      int remotePort = protocol == FlowProtocol.ICMP_ECHO ? 0 : 53 + s / 840 % 3;
      int ext = out(t, protocol, inside, port, remotePort, 0);
      if (ext < 0) {
        assertTrue(ext == SourceNatTable.REFUSED_TABLE_FULL
            || ext == SourceNatTable.REFUSED_PORTS_EXHAUSTED);
        continue;
      }
      NatFlow reply = in(t, protocol, ext, remotePort, 0);
      assertNotNull(reply);
      assertEquals(inside, reply.insideLow);
      assertEquals(port, reply.insidePort);
      List<NatFlow> live = t.liveFlows();
      assertTrue(live.size() <= maxFlows);
      Set<String> tuples = new HashSet<>();
      for (NatFlow f : live) {
        assertTrue(tuples.add(f.protocol() + " " + f.externalAddress() + ":" + f.externalPort()
            + " " + f.remoteAddress() + ":" + f.remotePort()), "duplicate external tuple " + f);
      }
    }
    ConntrackStats stats = t.stats();
    assertEquals(stats.created() - stats.expired(), stats.liveFlows());
  }
}
