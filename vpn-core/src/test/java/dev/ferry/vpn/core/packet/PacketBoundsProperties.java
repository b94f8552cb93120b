package dev.ferry.vpn.core.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ferry.vpn.core.net.IpFamily;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link IpPacketView#reset} of any bytes never throws and never reads or writes outside
 * {@code [off, off+len)}: the packet is placed in a larger array between two different fillings,
 * and everything the view reports, and every byte its rewriters write, must be the same for both.
 */
class PacketBoundsProperties {

  /** Bytes to place at {@code before} in arrays of {@code before + bytes.length + after}. */
  record Placed(byte[] bytes, int before, int after, long seed) {}

  @Provide
  Arbitrary<Placed> garbage() {
    return Arbitraries.randomValue(r -> {
      byte[] b = new byte[r.nextInt(4) == 0 ? r.nextInt(24) : r.nextInt(160)];
      r.nextBytes(b);
      if (b.length > 0 && r.nextBoolean()) {
        // Mostly a plausible first octet, so the checks after the version are reached too.
        b[0] = (byte) (r.nextBoolean() ? 0x45 + r.nextInt(3) : 0x60);
      }
      return new Placed(b, r.nextInt(32), r.nextInt(32), r.nextLong());
    });
  }

  @Provide
  Arbitrary<Placed> mutated() {
    return Arbitraries.randomValue(r -> {
      byte[] b = PacketArbitraries.packet(r, r.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6).build();
      int flips = 1 + r.nextInt(3);
      for (int i = 0; i < flips; i++) {
        int at = r.nextInt(b.length);
        b[at] = r.nextInt(4) == 0 ? (byte) (r.nextBoolean() ? 0 : 0xff) : (byte) r.nextInt(256);
      }
      int length = r.nextInt(3) == 0 ? r.nextInt(b.length + 1) : b.length;
      return new Placed(Arrays.copyOf(b, length), r.nextInt(32), r.nextInt(32), r.nextLong());
    });
  }

  @Provide
  Arbitrary<Placed> valid() {
    return Arbitraries.randomValue(r -> new Placed(
        PacketArbitraries.packet(r, r.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6).build(),
        r.nextInt(16), r.nextInt(16), r.nextLong()));
  }

  @Property
  void arbitraryBytesStayInBounds(@ForAll("garbage") Placed p) {
    assertIndependentOfSurroundings(p.bytes(), p.bytes().length, p);
  }

  @Property
  void mutatedPacketsStayInBounds(@ForAll("mutated") Placed p) {
    assertIndependentOfSurroundings(p.bytes(), p.bytes().length, p);
  }

  @Property(tries = 100)
  void everyTruncationIsReportedAndStaysInBounds(@ForAll("valid") Placed p) {
    byte[] whole = p.bytes();
    for (int length = 0; length < whole.length; length++) {
      String seen = assertIndependentOfSurroundings(whole, length, p);
      // Shorter than its stated length: never a valid packet.
      assertNotEquals("NONE", seen.substring(0, 4), "length " + length + " of " + whole.length);
    }
    assertEquals("NONE", assertIndependentOfSurroundings(whole, whole.length, p).substring(0, 4));
  }

  /** Returns the report of the view over the first {@code length} bytes. */
  private static String assertIndependentOfSurroundings(byte[] bytes, int length, Placed p) {
    byte[] a = embed(bytes, length, p, false);
    byte[] b = embed(bytes, length, p, true);
    String reportA = exercise(a, p.before(), length);
    String reportB = exercise(b, p.before(), length);
    assertEquals(reportA, reportB, "the view read outside its range");
    byte[] inB = Arrays.copyOfRange(b, p.before(), p.before() + length);
    assertArrayEquals(Arrays.copyOfRange(a, p.before(), p.before() + length), inB);
    assertArrayEquals(surroundings(p, false), cutOut(a, p.before(), length),
        "the view wrote outside its range");
    assertArrayEquals(surroundings(p, true), cutOut(b, p.before(), length),
        "the view wrote outside its range");
    return reportA;
  }

  private static byte[] embed(byte[] bytes, int length, Placed p, boolean inverted) {
    byte[] around = surroundings(p, inverted);
    byte[] buf = new byte[around.length + length];
    System.arraycopy(around, 0, buf, 0, p.before());
    System.arraycopy(bytes, 0, buf, p.before(), length);
    System.arraycopy(around, p.before(), buf, p.before() + length, p.after());
    return buf;
  }

  /** The bytes before and after the packet, concatenated; inverted for the second filling. */
  private static byte[] surroundings(Placed p, boolean inverted) {
    byte[] around = new byte[p.before() + p.after()];
    new Random(p.seed()).nextBytes(around);
    if (inverted) {
      for (int i = 0; i < around.length; i++) {
        around[i] = (byte) ~around[i];
      }
    }
    return around;
  }

  private static byte[] cutOut(byte[] buf, int before, int length) {
    byte[] out = new byte[buf.length - length];
    System.arraycopy(buf, 0, out, 0, before);
    System.arraycopy(buf, before + length, out, before, buf.length - before - length);
    return out;
  }

  /** Resets a view, reads every accessor that applies, and applies every rewriter that applies. */
  static String exercise(byte[] buf, int off, int len) {
    IpPacketView view = new IpPacketView();
    PacketDefect defect = view.reset(buf, off, len);
    StringBuilder sb = new StringBuilder(defect.name()).append('@').append(view.defectOffset())
        .append(' ').append(view.embeddedDefect());
    if (defect != PacketDefect.NONE) {
      return sb.toString();
    }
    describe(view, sb);
    if (view.isIcmpError()) {
      sb.append(" embedded ");
      describe(view.embedded(), sb);
    }
    rewriteAll(view);
    if (view.isIcmpError()) {
      rewriteAll(view.embedded());
    }
    return sb.toString();
  }

  private static void describe(IpPacketView v, StringBuilder sb) {
    sb.append(' ').append(v).append(v.version()).append(v.headerLength()).append(v.totalLength())
        .append(v.length()).append(v.upperLayerOffset()).append(v.hopLimit())
        .append(v.fragmentIdentification()).append(v.dontFragment()).append(v.isTruncated());
    if (v.version() == 4) {
      sb.append(v.ipv4HeaderChecksum()).append(v.computeIpv4HeaderChecksum());
    }
    if (v.hasIcmpIdentifier()) {
      sb.append(v.icmpIdentifier());
    }
    if (v.hasTransportHeader()) {
      sb.append(v.isTcp()).append(v.isUdp()).append(v.isIcmp());
    }
    if (v.hasCompleteTransport()) {
      sb.append(v.transportChecksum()).append(v.computeTransportChecksum());
    }
  }

  private static void rewriteAll(IpPacketView v) {
    v.decrementHopLimit();
    if (v.version() == 4) {
      v.setSourceIpv4(~v.sourceIpv4());
      v.setDestinationIpv4(v.destinationIpv4() + 1);
    } else {
      v.setSourceIpv6(~v.sourceIpv6High(), v.sourceIpv6Low());
      v.setDestinationIpv6(v.destinationIpv6High(), v.destinationIpv6Low() + 1);
    }
    if (v.hasPorts()) {
      v.setSourcePort(v.destinationPort());
      v.setDestinationPort(0xffff);
    }
    if (v.hasIcmpIdentifier()) {
      v.setIcmpIdentifier(v.icmpIdentifier() ^ 0x5a5a);
    }
    if (!v.isEmbedded()) {
      v.recomputeChecksums();
    }
  }
}
