package dev.ferry.vpn.bench;

import dev.ferry.vpn.core.packet.Checksums;
import dev.ferry.vpn.core.packet.IpPacketView;
import dev.ferry.vpn.core.packet.PacketDefect;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Per-packet cost of parsing and of NAT-style rewriting with incremental checksum updates. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacketViewBench {

  private final IpPacketView view = new IpPacketView();
  private byte[] ipv4Tcp;
  private byte[] ipv6Udp;
  private byte[] large;
  private int flip;

  @Setup
  public void setUp() {
    ipv4Tcp = new byte[20 + 20 + 64];
    ipv4Tcp[0] = 0x45;
    ipv4Tcp[3] = (byte) ipv4Tcp.length;
    ipv4Tcp[8] = 64;
    ipv4Tcp[9] = 6;
    ipv4Tcp[12] = 10;
    ipv4Tcp[15] = 1;
    ipv4Tcp[16] = (byte) 192;
    ipv4Tcp[19] = 2;
    ipv4Tcp[20 + 12] = 0x50;
    ipv6Udp = new byte[40 + 8 + 64];
    ipv6Udp[0] = 0x60;
    ipv6Udp[5] = 8 + 64;
    ipv6Udp[6] = 17;
    ipv6Udp[7] = 64;
    ipv6Udp[8] = 0x20;
    ipv6Udp[23] = 1;
    ipv6Udp[24] = 0x20;
    ipv6Udp[39] = 2;
    ipv6Udp[40 + 5] = 8 + 64;
    for (byte[] p : new byte[][] {ipv4Tcp, ipv6Udp}) {
      IpPacketView.parse(p).recomputeChecksums(); // throws if the hand-made packet is malformed
    }
    large = new byte[1400];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }
  }

  @Benchmark
  public PacketDefect resetIpv4Tcp() {
    return view.reset(ipv4Tcp, 0, ipv4Tcp.length);
  }

  /** 1:1 subnet NAT of the source plus a port change: header and TCP checksums updated. */
  @Benchmark
  public int resetAndRewriteIpv4Tcp() {
    view.reset(ipv4Tcp, 0, ipv4Tcp.length);
    flip ^= 1;
    view.setSourceIpv4(0x0a000001 ^ flip << 8);
    view.setSourcePort(40000 + flip);
    return view.transportChecksum();
  }

  @Benchmark
  public int resetAndRewriteIpv6Udp() {
    view.reset(ipv6Udp, 0, ipv6Udp.length);
    flip ^= 1;
    view.setSourceIpv6(0x2001_0db8_0000_0000L ^ flip, 1);
    return view.transportChecksum();
  }

  @Benchmark
  public int fullChecksum1400Bytes() {
    return Checksums.checksum(large, 0, large.length);
  }
}
