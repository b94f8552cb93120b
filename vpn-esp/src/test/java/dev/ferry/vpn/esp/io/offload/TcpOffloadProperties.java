package dev.ferry.vpn.esp.io.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.esp.io.offload.TcpPackets.Shape;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TcpOffloadProperties {

  private static final int MTU = 1500;

  /** A super-packet's shape, payload and MSS such that every segment fits the MTU. */
  record Burst(Shape shape, byte[] payload, int mss) {

    byte[] superPacket() {
      return TcpPackets.superPacket(shape, payload, mss);
    }

    int segments() {
      return Math.max(1, (payload.length + mss - 1) / mss);
    }
  }

  @Provide
  Arbitrary<Burst> bursts() {
    return bursts(Arbitraries.of(TcpIp.ACK, TcpIp.ACK | TcpIp.PSH, TcpIp.ACK | TcpIp.FIN,
        TcpIp.ACK | TcpIp.PSH | TcpIp.FIN, TcpIp.ACK | TcpIp.CWR | TcpIp.ECE));
  }

  /** Bursts of plain ACK/ACK+PSH data, which the coalescer must merge back. */
  @Provide
  Arbitrary<Burst> mergeableBursts() {
    return bursts(Arbitraries.of(TcpIp.ACK, TcpIp.ACK | TcpIp.PSH));
  }

  /** Bursts of at most 6,000 payload bytes: a mutated gso_size of 1 still splits quickly. */
  @Provide
  Arbitrary<Burst> shortBursts() {
    return bursts().filter(b -> b.payload().length <= 6000);
  }

  private static Arbitrary<Burst> bursts(Arbitrary<Integer> flags) {
    Arbitrary<Shape> shapes = Combinators.combine(Arbitraries.of(4, 6),
        Arbitraries.integers().between(1, 65535), Arbitraries.integers(), Arbitraries.integers(),
        flags, Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 65535))
        .as((version, port, seq, ack, f, optionWords, id) -> {
          byte[] options = new byte[optionWords * 4];
          Arrays.fill(options, (byte) 1); // NOPs
          return new Shape(version, port, 443, seq, ack, f, options, id);
        });
    return shapes.flatMap(shape -> {
      int maxMss = MTU - shape.headers();
      return Arbitraries.integers().between(1, maxMss).flatMap(mss -> {
        int maxPayload = Math.min(65535 - shape.headers(), mss * 60);
        // Half of the bursts stay short, so that small and one-segment cases are common too.
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(maxPayload),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(Math.min(maxPayload, 3 * mss)))
            .map(payload -> new Burst(shape, payload, mss));
      });
    });
  }

  @Property(tries = 150)
  void segmentsVerifyAndCarryThePayloadInOrder(@ForAll("bursts") Burst burst,
      @ForAll @IntRange(min = 1, max = 64) int batchCapacity) {
    Shape shape = burst.shape();
    List<byte[]> segments =
        TcpPackets.segmentAll(new TsoSegmenter(MTU), burst.superPacket(), batchCapacity, MTU);

    assertEquals(burst.segments(), segments.size());
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    int ip = shape.ipHeader();
    for (int k = 0; k < segments.size(); k++) {
      byte[] s = segments.get(k);
      boolean last = k == segments.size() - 1;
      assertTrue(s.length <= MTU);
      assertTrue(TcpPackets.ipv4HeaderValid(s), "IPv4 header checksum");
      assertTrue(TcpPackets.tcpValid(s, shape.version()), "TCP checksum");
      if (shape.version() == 4) {
        assertEquals(s.length, TcpIp.u16(s, 2));
        assertEquals((shape.identification() + k) & 0xffff, TcpIp.u16(s, 4));
      } else {
        assertEquals(s.length - 40, TcpIp.u16(s, 4));
      }
      assertEquals(shape.sequence() + k * burst.mss(), TcpIp.u32(s, ip + 4));
      assertEquals(shape.ack(), TcpIp.u32(s, ip + 8));
      int expectedFlags = shape.flags();
      if (!last) {
        expectedFlags &= ~(TcpIp.FIN | TcpIp.PSH);
      }
      if (k > 0) {
        expectedFlags &= ~TcpIp.CWR;
      }
      assertEquals(expectedFlags, s[ip + 13] & 0xff);
      assertArrayEquals(shape.options(), Arrays.copyOfRange(s, ip + 20, shape.headers()));
      payload.write(s, shape.headers(), s.length - shape.headers());
    }
    assertArrayEquals(burst.payload(), payload.toByteArray());
  }

  @Property(tries = 150)
  void coalescingSegmentsOfAFlowAndSplittingAgainGivesTheSameSegments(
      @ForAll("mergeableBursts") Burst burst) {
    List<byte[]> segments =
        TcpPackets.segmentAll(new TsoSegmenter(MTU), burst.superPacket(), 64, MTU);

    List<byte[]> written = TcpPackets.coalesce(new TcpCoalescer(), segments, MTU);

    assertEquals(segments.size() == 1 || burst.payload().length == 0 ? segments.size() : 1,
        written.size(), "one super-packet per burst");
    assertSameBytes(segments, resegment(written));
  }

  @Property(tries = 100)
  void interleavedFlowsEachKeepTheirOrder(@ForAll("mergeableBursts") Burst a,
      @ForAll("mergeableBursts") Burst b, @ForAll long seed) {
    Burst other = new Burst(b.shape().withSourcePort(a.shape().sourcePort() ^ 1), b.payload(),
        b.mss());
    List<byte[]> first = TcpPackets.segmentAll(new TsoSegmenter(MTU), a.superPacket(), 64, MTU);
    List<byte[]> second =
        TcpPackets.segmentAll(new TsoSegmenter(MTU), other.superPacket(), 64, MTU);
    List<byte[]> mixed = interleave(first, second, new java.util.Random(seed));

    List<byte[]> back = resegment(TcpPackets.coalesce(new TcpCoalescer(), mixed, MTU));

    assertSameBytes(first, onlyFlow(back, a.shape()));
    assertSameBytes(second, onlyFlow(back, other.shape()));
    assertEquals(mixed.size(), back.size());
  }

  @Property(tries = 150)
  void segmentsThatMustNotMergeComeOutUnchanged(@ForAll("mergeableBursts") Burst burst,
      @ForAll @IntRange(min = 0, max = 3) int defect, @ForAll @IntRange(min = 0, max = 59) int at) {
    List<byte[]> segments = new ArrayList<>(
        TcpPackets.segmentAll(new TsoSegmenter(MTU), burst.superPacket(), 64, MTU));
    int victim = at % segments.size();
    byte[] odd = segments.get(victim).clone();
    int ip = burst.shape().ipHeader();
    switch (defect) {
      case 0 -> odd[odd.length - 1] ^= 0x5a; // bad TCP checksum (or header, if no payload)
      case 1 -> odd[ip + 13] |= TcpIp.SYN;
      case 2 -> odd[ip + 13] |= TcpIp.RST;
      default -> odd[ip + 13] |= TcpIp.URG;
    }
    segments.set(victim, odd);
    List<byte[]> input = new ArrayList<>(segments);
    if (defect == 0 && segments.size() > 2) {
      input.remove((victim + 2) % segments.size()); // and a gap elsewhere
    }

    List<byte[]> written = TcpPackets.coalesce(new TcpCoalescer(), input, MTU);

    byte[] alone = new byte[VirtioNetHeader.LENGTH + odd.length];
    System.arraycopy(odd, 0, alone, VirtioNetHeader.LENGTH, odd.length);
    assertTrue(written.stream().anyMatch(w -> Arrays.equals(w, alone)),
        "the odd segment is written alone and unchanged");
    assertSameBytes(input, resegment(written));
  }

  @Property(tries = 200)
  void mutatedOrTruncatedInputNeverThrows(@ForAll("shortBursts") Burst burst,
      @ForAll @IntRange(min = 0, max = 80) int position, @ForAll byte value,
      @ForAll @IntRange(min = 0, max = 200) int cut) {
    byte[] read = burst.superPacket();
    read[position % read.length] = value;
    int length = Math.max(0, read.length - cut);
    TsoSegmenter segmenter = new TsoSegmenter(MTU);
    PacketBatch batch = PacketBatch.forMtu(16, MTU);
    if (segmenter.load(read, 0, length)) {
      while (segmenter.hasPending()) {
        int n = segmenter.drainInto(batch, 0, 16);
        for (int i = 0; i < n; i++) {
          assertTrue(batch.length(i) <= MTU);
        }
      }
    }
    byte[] packet = Arrays.copyOfRange(read, VirtioNetHeader.LENGTH,
        Math.max(VirtioNetHeader.LENGTH, length));
    List<byte[]> twice = List.of(packet, packet.clone(), Arrays.copyOf(packet, packet.length / 2));
    List<byte[]> written = TcpPackets.coalesce(new TcpCoalescer(), twice, 65535);
    assertTrue(written.size() >= 1);
  }

  private static List<byte[]> resegment(List<byte[]> written) {
    List<byte[]> out = new ArrayList<>();
    TsoSegmenter segmenter = new TsoSegmenter(MTU);
    for (byte[] w : written) {
      out.addAll(TcpPackets.segmentAll(segmenter, w, 64, MTU));
    }
    assertEquals(0, segmenter.drops());
    return out;
  }

  private static List<byte[]> interleave(List<byte[]> x, List<byte[]> y, java.util.Random r) {
    List<byte[]> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < x.size() || j < y.size()) {
      if (j >= y.size() || i < x.size() && r.nextBoolean()) {
        out.add(x.get(i++));
      } else {
        out.add(y.get(j++));
      }
    }
    return out;
  }

  private static List<byte[]> onlyFlow(List<byte[]> packets, Shape shape) {
    int ip = shape.ipHeader();
    return packets.stream()
        .filter(p -> (p[0] & 0xff) >>> 4 == shape.version() && p.length > ip + 2
            && TcpIp.u16(p, ip) == shape.sourcePort())
        .toList();
  }

  private static void assertSameBytes(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size(), "packet count");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "packet " + i);
    }
  }
}
