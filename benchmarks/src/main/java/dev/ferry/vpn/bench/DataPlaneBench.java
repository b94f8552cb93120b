package dev.ferry.vpn.bench;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.nat.NatEngine;
import dev.ferry.vpn.core.nat.NatPolicy;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.time.ManualScheduler;
import dev.ferry.vpn.esp.EspStats;
import dev.ferry.vpn.esp.SaLifetimeListener;
import dev.ferry.vpn.esp.SaStore;
import dev.ferry.vpn.esp.io.InMemoryTun;
import dev.ferry.vpn.esp.pipeline.DataPlane;
import dev.ferry.vpn.esp.pipeline.DataPlaneOptions;
import dev.ferry.vpn.esp.pipeline.EspDatagramSink;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Nanoseconds per packet through the whole data plane, single thread: an inner IPv4/UDP packet
 * enters side A's in-memory TUN device, A's {@link DataPlane} reads it in a batch, parses it, runs
 * NAT (no rules) and the policy lookup, checks the path MTU and protects it in place; a loopback
 * sink copies the ESP packet out as a UDP socket would and hands it to side B's data plane, which
 * decrypts (with the anti-replay window on), parses, runs NAT and writes it to B's TUN device,
 * from whose far end the benchmark drains it. Per packet that is four in-memory TUN copies (two
 * per device) and the sink's copy on top of the cryptography; compare with {@code
 * EspBench.protectAndUnprotect} for the cryptography alone.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DataPlaneBench -f 1 -wi 2 -w 1s -i 3 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DataPlaneBench {
  private static final int BATCH = 32;

  @Param({"aes128gcm16"})
  public String suite;

  @Param({"64", "1400"})
  public int size;

  private InMemoryTun feeder;
  private InMemoryTun tunA;
  private InMemoryTun tunB;
  private InMemoryTun drain;
  private DataPlane planeA;
  private DataPlane planeB;
  private PacketBatch source;
  private PacketBatch readBatch;
  private PacketBatch drainBatch;

  @Setup
  public void setup() {
    Proposal proposal = Proposal.parse(suite, Protocol.ESP);
    Random random = new Random(42);
    ChildSaSpec[] pair = EspBench.specPair(proposal, random, 1024);
    ChildSaSpec specA = pair[0];
    ChildSaSpec specB = pair[1];
    SaStore storeA = store();
    SaStore storeB = store();
    storeA.install(specA);
    storeB.install(specB);

    int mtu = 1500;
    InMemoryTun.Pair a = InMemoryTun.pair(mtu, 64, 256);
    InMemoryTun.Pair b = InMemoryTun.pair(mtu, 64, 256);
    feeder = a.left();
    tunA = a.right();
    tunB = b.left();
    drain = b.right();
    byte[] udpSocketBuffer = new byte[65535];
    DataPlane[] target = new DataPlane[1];
    // What a UDP transport does: copy the datagram out, hand a receive buffer to the other side;
    // the end of A's batch is the end of B's burst, so B writes its TUN device once per batch.
    EspDatagramSink loopback = new EspDatagramSink() {
      @Override
      public void send(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
        System.arraycopy(buf, off, udpSocketBuffer, 0, len);
        target[0].onEspDatagram(remote, local, udpSocketBuffer, 0, len);
      }

      @Override
      public void flush() {
        target[0].endOfBurst();
      }
    };
    DataPlaneOptions options = DataPlaneOptions.DEFAULTS;
    planeA = DataPlane.create(tunA, storeA, new NatEngine(NatPolicy.NONE), loopback, options);
    planeB = DataPlane.create(tunB, storeB, new NatEngine(NatPolicy.NONE),
        (l, r, buf, off, len) -> { }, options);
    target[0] = planeB;

    byte[] packet = new byte[size];
    random.nextBytes(packet);
    java.util.Arrays.fill(packet, 0, 28, (byte) 0);
    packet[0] = 0x45;
    packet[2] = (byte) (size >>> 8);
    packet[3] = (byte) size;
    packet[8] = 64;
    packet[9] = 17; // UDP, checksum 0 ("none", RFC 768)
    System.arraycopy(new byte[] {10, 1, 0, 1, 10, 2, 0, 1}, 0, packet, 12, 8);
    packet[20] = 0x13;
    packet[22] = 0x00;
    packet[23] = 0x35;
    packet[24] = (byte) ((size - 20) >>> 8);
    packet[25] = (byte) (size - 20);
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += (packet[i] & 0xFF) << 8 | (packet[i + 1] & 0xFF);
    }
    sum = (sum & 0xFFFF) + (sum >>> 16);
    sum = (sum & 0xFFFF) + (sum >>> 16);
    packet[10] = (byte) (~sum >>> 8);
    packet[11] = (byte) ~sum;
    source = PacketBatch.forMtu(BATCH, mtu);
    for (int i = 0; i < BATCH; i++) {
      source.put(i, packet, 0, size);
    }
    readBatch = PacketBatch.forMtu(64, mtu);
    drainBatch = PacketBatch.forMtu(64, mtu);
    try {
      if (packets(1) != 1 || planeB.stats().delivered() != 1) {
        throw new IllegalStateException("setup packet did not cross: " + planeA.stats() + " "
            + planeB.stats() + " " + storeB.stats());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SaStore store() {
    ManualScheduler scheduler = new ManualScheduler();
    return new SaStore(new CryptoProvider(new SecureRandom()), scheduler, scheduler,
        SaLifetimeListener.NONE, new EspStats());
  }

  /** Sends {@code count} packets from A's TUN to B's TUN; returns how many came out. */
  private int packets(int count) throws IOException {
    feeder.write(source, count);
    int read = tunA.read(readBatch);
    planeA.processOutbound(readBatch, read);
    return drain.read(drainBatch);
  }

  /** One packet per wakeup. */
  @Benchmark
  public int onePacket() throws IOException {
    return packets(1);
  }

  /** 32 packets per wakeup: the TUN reads and writes amortise their locking. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int batchOf32() throws IOException {
    return packets(BATCH);
  }

  @TearDown
  public void tearDown() {
    planeA.close();
    planeB.close();
  }
}
