package dev.ferry.vpn.bench;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.ike.transport.IkeListenConfig;
import dev.ferry.vpn.ike.transport.IkeUdpTransport;
import dev.ferry.vpn.ike.transport.LocalSocket;
import dev.ferry.vpn.ike.transport.LoopbackIkeNetwork;
import dev.ferry.vpn.ike.transport.NettyIkeTransport;
import dev.ferry.vpn.ike.transport.PortRole;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of the IKE/ESP-in-UDP transport on the NAT-traversal socket, per datagram.
 *
 * <ul>
 *   <li>{@code loopbackEsp}, {@code loopbackIke}: one datagram through the in-memory network
 *       (framing, copy, RFC 3948 demultiplexing, handler) with immediate delivery.
 *   <li>{@code nettyEspRoundTrip}: one ESP-in-UDP datagram to a peer on 127.0.0.1 that echoes it
 *       back, waiting for the echo: a real-socket round trip through both event loops.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TransportBench -f 1 -wi 2 -w 1s -i 3 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TransportBench {

  private static final IpAddress V4 = IpAddress.parse("127.0.0.1");

  private final byte[] esp = espPacket(1400);
  private final byte[] ike = ikeMessage(400);
  private final AtomicLong echoed = new AtomicLong();
  private long loopbackReceived;
  private volatile Thread waiter;

  private IkeUdpTransport loopA;
  private UdpEndpoint loopFrom;
  private UdpEndpoint loopTo;

  private NettyIkeTransport nettyA;
  private NettyIkeTransport nettyB;
  private UdpEndpoint nettyFrom;
  private UdpEndpoint nettyTo;

  @Setup(Level.Trial)
  public void setUp() {
    LoopbackIkeNetwork network = new LoopbackIkeNetwork(LoopbackIkeNetwork.Delivery.IMMEDIATE, 1);
    loopA =
        network.open(IkeListenConfig.standard(IpAddress.parse("192.0.2.1")), (l, r, m) -> {}, null);
    IkeUdpTransport loopB =
        network.open(
            IkeListenConfig.standard(IpAddress.parse("198.51.100.1")),
            (l, r, m) -> loopbackReceived += m.length,
            (l, r, b, off, len) -> loopbackReceived += len);
    loopFrom = natTraversal(loopA);
    loopTo = natTraversal(loopB);

    nettyA =
        NettyIkeTransport.open(
            IkeListenConfig.ephemeral(V4),
            (l, r, m) -> {},
            (l, r, b, off, len) -> {
              echoed.incrementAndGet();
              LockSupport.unpark(waiter);
            });
    NettyIkeTransport[] b = new NettyIkeTransport[1];
    b[0] =
        NettyIkeTransport.open(
            IkeListenConfig.ephemeral(V4),
            (l, r, m) -> {},
            (l, r, buf, off, len) -> {
              b[0].sendEsp(l, r, buf, off, len);
              b[0].flushEsp(); // on B's event loop: written at once
            });
    nettyB = b[0];
    nettyFrom = natTraversal(nettyA);
    nettyTo = natTraversal(nettyB);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    nettyA.close();
    nettyB.close();
    loopA.close();
  }

  @Benchmark
  public long loopbackEsp() {
    loopA.sendEsp(loopFrom, loopTo, esp, 0, esp.length);
    return loopbackReceived;
  }

  @Benchmark
  public long loopbackIke() {
    loopA.send(loopFrom, loopTo, ike);
    return loopbackReceived;
  }

  @Benchmark
  public long nettyEspRoundTrip() {
    waiter = Thread.currentThread();
    long before = echoed.get();
    nettyA.sendEsp(nettyFrom, nettyTo, esp, 0, esp.length);
    nettyA.flushEsp();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    // Parking, not spinning: on a small machine a spinning caller starves the event loops. A lost
    // datagram (unlikely on loopback) ends the wait after a second instead of hanging.
    long left;
    while (echoed.get() == before && (left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
    return echoed.get();
  }

  private static UdpEndpoint natTraversal(IkeUdpTransport t) {
    return t.localSockets().stream()
        .filter(s -> s.role() == PortRole.NAT_TRAVERSAL)
        .map(LocalSocket::endpoint)
        .findFirst()
        .orElseThrow();
  }

  private static byte[] espPacket(int length) {
    ByteBuffer b = ByteBuffer.allocate(length);
    b.putInt(0, 0xC0FFEE01); // SPI: non-zero, so it is not read as the non-ESP marker
    b.putInt(4, 1);
    return b.array();
  }

  private static byte[] ikeMessage(int length) {
    ByteBuffer b = ByteBuffer.allocate(length);
    b.putLong(0, 0x0102030405060708L);
    b.put(17, (byte) 0x20);
    b.putInt(24, length); // RFC 7296 section 3.1 Length, so the receiver accepts it
    return b.array();
  }
}
