package dev.ferry.vpn.bench;

import dev.ferry.vpn.core.nat.NatEngine;
import dev.ferry.vpn.core.nat.NatPolicy;
import dev.ferry.vpn.core.nat.NatRule;
import dev.ferry.vpn.core.nat.NatVerdict;
import dev.ferry.vpn.core.nat.SourceNatConfig;
import dev.ferry.vpn.core.nat.SourceNatTable;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.packet.IpPacketView;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Nanoseconds per packet for subnet NAT on a 60-byte IPv4 UDP packet.
 *
 * <p>Each operation copies a pristine packet into the working buffer, points the view at it and
 * translates it, so every operation does a real rewrite (addresses, checksums; for source NAT also
 * the port and a flow lookup). {@link #copyAndReset} measures the copy and parse alone: subtract it
 * to get the NAT cost.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar NatBench -f 1 -wi 2 -w 1s -i 3 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NatBench {

  private NatEngine oneToOne;
  private NatEngine singleSource;
  private final IpPacketView view = new IpPacketView();
  private final byte[] work = new byte[60];
  private byte[] outbound1to1;
  private byte[] inbound1to1;
  private byte[] outboundSnat;
  private byte[] inboundSnat;

  @Setup
  public void setUp() {
    oneToOne = new NatEngine(new NatPolicy(
        List.of(NatRule.parse("10.171.42.0/24=10.10.10.0/24"),
            NatRule.parse("10.171.50.7/32=10.10.20.7/32")),
        List.of(NatRule.parse("10.1.1.0/24=172.20.1.0/24"))));
    outbound1to1 = udp("10.171.42.17", "172.20.1.9", 40000, 53);
    inbound1to1 = udp("10.1.1.9", "10.10.10.17", 53, 40000);

    singleSource = new NatEngine(
        NatPolicy.singleSource(IpAddress.parse("192.168.168.100"),
            List.of(IpPrefix.parse("172.30.0.0/16")), List.of()),
        new SourceNatTable(SourceNatConfig.DEFAULTS));
    outboundSnat = udp("172.30.4.5", "10.1.1.9", 40000, 53);
    // Establish the flow once; the benchmark then measures existing-flow lookups.
    byte[] first = outboundSnat.clone();
    view.reset(first, 0, first.length);
    if (singleSource.outbound(view) != NatVerdict.TRANSLATED) {
      throw new IllegalStateException("source NAT flow was not created");
    }
    inboundSnat = udp("10.1.1.9", "192.168.168.100", 53, view.sourcePort());
  }

  /** A valid IPv4/UDP packet with 32 payload bytes and correct checksums. */
  private static byte[] udp(String src, String dst, int sport, int dport) {
    byte[] p = new byte[60];
    p[0] = 0x45;
    p[3] = 60;
    p[8] = 64;
    p[9] = 17;
    IpAddress.parse(src).writeTo(p, 12);
    IpAddress.parse(dst).writeTo(p, 16);
    p[20] = (byte) (sport >>> 8);
    p[21] = (byte) sport;
    p[22] = (byte) (dport >>> 8);
    p[23] = (byte) dport;
    p[25] = 40;
    for (int i = 28; i < 60; i++) {
      p[i] = (byte) i;
    }
    IpPacketView v = IpPacketView.parse(p);
    v.recomputeChecksums();
    return p;
  }

  private IpPacketView load(byte[] pristine) {
    System.arraycopy(pristine, 0, work, 0, pristine.length);
    view.reset(work, 0, pristine.length);
    return view;
  }

  @Benchmark
  public IpPacketView copyAndReset() {
    return load(outbound1to1);
  }

  @Benchmark
  public NatVerdict oneToOneOutbound() {
    return oneToOne.outbound(load(outbound1to1));
  }

  @Benchmark
  public NatVerdict oneToOneInbound() {
    return oneToOne.inbound(load(inbound1to1));
  }

  @Benchmark
  public NatVerdict singleSourceOutbound() {
    return singleSource.outbound(load(outboundSnat));
  }

  @Benchmark
  public NatVerdict singleSourceInbound() {
    return singleSource.inbound(load(inboundSnat));
  }
}
