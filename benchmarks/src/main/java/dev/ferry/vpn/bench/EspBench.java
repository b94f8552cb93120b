package dev.ferry.vpn.bench;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.sa.ChildSaKeys;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.SaLifetime;
import dev.ferry.vpn.esp.EspSa;
import dev.ferry.vpn.esp.EspStats;
import dev.ferry.vpn.esp.EspVerdict;
import dev.ferry.vpn.esp.InnerPacket;
import dev.ferry.vpn.esp.OutboundSa;
import dev.ferry.vpn.esp.SaLifetimeListener;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Nanoseconds per packet for ESP tunnel-mode protection, single thread, per suite and inner
 * packet size (IPv4 packet of that total length).
 *
 * <p>Every operation first copies a pristine packet into the working buffer (protection works in
 * place); {@link #copyOnly} measures that copy alone. The receiving SA runs with the replay window
 * off so the same ESP packet can be presented again; the window costs a few nanoseconds.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EspBench -f 1 -wi 2 -w 1s -i 3 -r 1s
 * java -cp benchmarks/target/benchmarks.jar dev.ferry.vpn.bench.EspBench
 * </pre>
 *
 * <p>{@link #main} is the issue 4 comparison on any machine, loaded or not: thread CPU time per
 * protect and per unprotect of a 1,400-octet packet for AES-128-GCM and ChaCha20-Poly1305, and
 * {@code openssl speed -evp} for the same cipher and size run in the same process tree right after,
 * which also counts CPU time, so the ratio holds even when other jobs share the cores. The AEAD
 * backend in use is chosen by vpn-core's {@code CryptoProvider} and logged at start ({@code
 * -Ddev.ferry.vpn.crypto.openssl=off} measures the JCE/Bouncy Castle fallback).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EspBench {

  @Param({"aes128gcm16", "aes256gcm16", "chacha20poly1305", "aes128-sha256"})
  public String suite;

  @Param({"64", "512", "1400", "9000"})
  public int size;

  private OutboundSa outbound;
  private EspSa receiver;
  private byte[] inner;
  private byte[] esp;
  private byte[] work;
  private int espLength;
  private final InnerPacket result = new InnerPacket();

  @Setup
  public void setup() {
    Proposal proposal = Proposal.parse(suite, Protocol.ESP);
    Random random = new Random(42);
    ChildSaSpec[] pair = specPair(proposal, random, 0);
    ChildSaSpec ours = pair[0];
    ChildSaSpec theirs = pair[1];
    CryptoProvider crypto = new CryptoProvider(new SecureRandom());
    outbound = EspSa.create(ours, crypto, new EspStats(), SaLifetimeListener.NONE,
        InstantSource.system()).outbound();
    receiver = EspSa.create(theirs, crypto, new EspStats(), SaLifetimeListener.NONE,
        InstantSource.system());

    inner = new byte[size];
    random.nextBytes(inner);
    // A plain IPv4 header (no fragment bits: a random offset could point past 64 KiB).
    java.util.Arrays.fill(inner, 0, 20, (byte) 0);
    inner[0] = 0x45;
    inner[2] = (byte) (size >>> 8);
    inner[3] = (byte) size;
    inner[8] = 64;
    inner[9] = (byte) 253;
    System.arraycopy(new byte[] {10, 1, 0, 1, 10, 2, 0, 1}, 0, inner, 12, 8);
    work = new byte[OutboundSa.MAX_HEADROOM + size + OutboundSa.MAX_TAILROOM];
    System.arraycopy(inner, 0, work, OutboundSa.MAX_HEADROOM, size);
    espLength = outbound.protect(work, OutboundSa.MAX_HEADROOM, size);
    esp = new byte[espLength];
    System.arraycopy(work, OutboundSa.MAX_HEADROOM - outbound.headroom(), esp, 0, espLength);
    if (receiver.inbound().unprotect(esp.clone(), 0, espLength, result) != EspVerdict.ACCEPTED) {
      throw new IllegalStateException("setup packet was not accepted");
    }
  }

  /**
   * Our spec (10.1.0.0/16 to 10.2.0.0/16, SPIs 0x1001 in and 0x2002 out) and the peer's mirror
   * image with the same keys, drawn from {@code random}.
   */
  static ChildSaSpec[] specPair(Proposal proposal, Random random, int replayWindow) {
    ChildSaKeys a = keys(proposal, random);
    ChildSaKeys b = keys(proposal, random);
    List<TrafficSelector> left = List.of(TrafficSelector.of(IpPrefix.parse("10.1.0.0/16")));
    List<TrafficSelector> right = List.of(TrafficSelector.of(IpPrefix.parse("10.2.0.0/16")));
    SaLifetime life = SaLifetime.ofTime(Duration.ofHours(1), Duration.ofMinutes(5));
    UdpEndpoint here = UdpEndpoint.parse("192.0.2.1:4500");
    UdpEndpoint there = UdpEndpoint.parse("198.51.100.7:4500");
    return new ChildSaSpec[] {
        new ChildSaSpec("bench", 0x1001, 0x2002, proposal, a, b, left, right, here, there, true,
            life, replayWindow),
        new ChildSaSpec("bench", 0x2002, 0x1001, proposal, b, a, right, left, there, here, true,
            life, replayWindow)};
  }

  static ChildSaKeys keys(Proposal proposal, Random random) {
    Transform encr = proposal.encryption().get(0);
    byte[] key = new byte[CryptoProvider.keyLength(encr)];
    byte[] salt = new byte[CryptoProvider.saltLength(encr)];
    byte[] integrity = new byte[proposal.isAead() ? 0
        : CryptoProvider.integrityKeyLength(proposal.integrity().get(0))];
    random.nextBytes(key);
    random.nextBytes(salt);
    random.nextBytes(integrity);
    return new ChildSaKeys(Secret.of(key), Secret.of(salt), Secret.of(integrity));
  }

  @Benchmark
  public int copyOnly() {
    System.arraycopy(inner, 0, work, OutboundSa.MAX_HEADROOM, size);
    return work[OutboundSa.MAX_HEADROOM + size - 1];
  }

  @Benchmark
  public int protect() {
    System.arraycopy(inner, 0, work, OutboundSa.MAX_HEADROOM, size);
    return outbound.protect(work, OutboundSa.MAX_HEADROOM, size);
  }

  @Benchmark
  public EspVerdict unprotect() {
    System.arraycopy(esp, 0, work, 0, espLength);
    return receiver.inbound().unprotect(work, 0, espLength, result);
  }

  @Benchmark
  public EspVerdict protectAndUnprotect() {
    System.arraycopy(inner, 0, work, OutboundSa.MAX_HEADROOM, size);
    int length = outbound.protect(work, OutboundSa.MAX_HEADROOM, size);
    return receiver.inbound().unprotect(
        work, OutboundSa.MAX_HEADROOM - outbound.headroom(), length, result);
  }

  /**
   * Thread CPU nanoseconds per operation: the minimum over ten rounds of 20,000 (after warm-up),
   * the least disturbed by other jobs on the machine.
   */
  private static double cpuNanosPerOp(Runnable operation) {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    double best = Double.MAX_VALUE;
    for (int round = -5; round < 10; round++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < 20_000; i++) {
        operation.run();
      }
      double perOp = (threads.getCurrentThreadCpuTime() - start) / 20_000.0;
      if (round >= 0) {
        best = Math.min(best, perOp);
      }
    }
    return best;
  }

  /** {@code openssl speed -evp CIPHER -bytes SIZE}'s bytes per CPU-second, or -1 if it fails. */
  private static double opensslBytesPerSecond(String cipher, int size) {
    try {
      Process p = new ProcessBuilder("openssl", "speed", "-evp", cipher, "-bytes",
          String.valueOf(size), "-seconds", "3").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
      // Last line: "AES-128-GCM    1569757.51k" (thousands of bytes per second).
      String[] last = out.strip().lines().reduce((a, b) -> b).orElse("").trim().split("\\s+");
      String value = last[last.length - 1];
      return Double.parseDouble(value.substring(0, value.length() - 1)) * 1000;
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public static void main(String[] args) {
    int size = 1400;
    String[][] suites = {{"aes128gcm16", "aes-128-gcm"}, {"chacha20poly1305", "chacha20-poly1305"}};
    for (String[] pair : suites) {
      EspBench bench = new EspBench();
      bench.suite = pair[0];
      bench.size = size;
      bench.setup();
      double protect = cpuNanosPerOp(bench::protect) - cpuNanosPerOp(bench::copyOnly);
      double unprotect = cpuNanosPerOp(bench::unprotect) - cpuNanosPerOp(bench::copyOnly);
      double openssl = opensslBytesPerSecond(pair[1], size);
      double opensslNanos = size / openssl * 1e9;
      System.out.printf("%s %d B: protect %.0f ns (%.2f GB/s), unprotect %.0f ns (%.2f GB/s);"
          + " openssl speed -evp %s %.0f ns (%.2f GB/s); protect/openssl %.2f,"
          + " unprotect/openssl %.2f%n", pair[0], size, protect, size / protect, unprotect,
          size / unprotect, pair[1], opensslNanos, openssl / 1e9, opensslNanos / protect,
          opensslNanos / unprotect);
    }
  }
}
