package dev.ferry.vpn.ike.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.ike.crypto.SkProtector;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Codec laws: decode inverts encode for every generated message, in the clear, inside SK and as
 * fragments; and decoding arbitrary or mutated octets always returns a result that depends only on
 * the octets in the given range. The whole-message properties run 500 tries, not 1000: generating
 * nested payloads dominates their cost and 500 keeps each near two seconds on a shared machine.
 */
class IkeCodecProperties {

  @Provide
  Arbitrary<IkeMessage> plainMessages() {
    return IkeArbitraries.message(false);
  }

  @Provide
  Arbitrary<IkeMessage> encryptedMessages() {
    return IkeArbitraries.message(true);
  }

  @Provide
  Arbitrary<IkeMessage> anyMessages() {
    return Arbitraries.oneOf(plainMessages(), encryptedMessages());
  }

  private static byte[] encode(IkeMessage m, SkProtector protector) {
    return m.encrypted() ? m.encode(protector) : m.encode();
  }

  @Property(tries = 500)
  void clearMessages_roundTrip(@ForAll("plainMessages") IkeMessage m) {
    byte[] wire = m.encode();
    DecodeResult.Ok ok = assertInstanceOf(DecodeResult.Ok.class,
        IkeMessageDecoder.decode(wire, 0, wire.length, null));
    assertEquals(m, ok.message());
    assertEquals(wire.length, ok.header().length());
  }

  @Property(tries = 500)
  void protectedMessages_roundTrip(@ForAll("encryptedMessages") IkeMessage m) {
    SkProtector protector = TestSkProtectors.gcmForTests();
    byte[] wire = m.encode(protector);
    DecodeResult.Ok ok = assertInstanceOf(DecodeResult.Ok.class,
        IkeMessageDecoder.decode(wire, 0, wire.length, protector));
    assertEquals(m, ok.message());
    assertEquals(PayloadType.SK, ok.header().nextPayload());
  }

  @Property
  void fragments_reassembleInAnyOrder(
      @ForAll("encryptedMessages") IkeMessage m,
      @ForAll @IntRange(min = 70, max = 600) int maxSize,
      @ForAll long shuffleSeed) {
    SkProtector protector = TestSkProtectors.gcmForTests();
    List<byte[]> fragments = new ArrayList<>(m.encodeFragments(protector, maxSize));
    Collections.shuffle(fragments, new Random(shuffleSeed));
    FragmentReassembler reassembler =
        new FragmentReassembler(4, 1 << 20, Duration.ofSeconds(30), InstantSource.fixed(Instant.EPOCH));
    Optional<DecodeResult> done = Optional.empty();
    for (byte[] f : fragments) {
      assertTrue(f.length <= maxSize, () -> f.length + " > " + maxSize);
      assertTrue(done.isEmpty(), "completed before the last fragment");
      DecodeResult.Fragment fragment = assertInstanceOf(DecodeResult.Fragment.class,
          IkeMessageDecoder.decode(f, 0, f.length, protector));
      assertEquals(fragments.size(), fragment.total());
      done = reassembler.accept(fragment);
    }
    DecodeResult.Ok ok = assertInstanceOf(DecodeResult.Ok.class, done.orElseThrow());
    assertEquals(m, ok.message());
    assertEquals(0, reassembler.pendingMessages());
    assertEquals(0, reassembler.heldBytes());
  }

  /**
   * Decodes {@code content} placed at a random offset inside two arrays with different garbage
   * around it; both results must be equal (so nothing outside the range was read) and decoding
   * must not throw.
   */
  private static DecodeResult decodeFramed(byte[] content, long seed, SkProtector protector) {
    Random r = new Random(seed);
    int before = r.nextInt(16);
    int after = r.nextInt(16);
    DecodeResult first = null;
    for (int round = 0; round < 2; round++) {
      byte[] frame = new byte[before + content.length + after];
      r.nextBytes(frame);
      System.arraycopy(content, 0, frame, before, content.length);
      DecodeResult result = IkeMessageDecoder.decode(frame, before, content.length, protector);
      if (first == null) {
        first = result;
      } else {
        assertEquals(first, result, "the result depends on octets outside the range");
      }
    }
    return first;
  }

  @Property
  void arbitraryOctets_alwaysYieldAResult(
      @ForAll @Size(max = 300) byte[] content, @ForAll long seed) {
    decodeFramed(content, seed, TestSkProtectors.gcmForTests());
  }

  @Property
  void arbitraryPayloadAreaBehindAValidHeader_alwaysYieldsAResult(
      @ForAll @Size(max = 300) byte[] payloadArea,
      @ForAll("payloadTypes") PayloadType first,
      @ForAll long seed) {
    byte[] wire = new byte[IkeHeader.LENGTH + payloadArea.length];
    new IkeHeader(1, 2, first, 2, 0, ExchangeType.IKE_SA_INIT, 0x08, 0, wire.length)
        .writeTo(wire, 0);
    System.arraycopy(payloadArea, 0, wire, IkeHeader.LENGTH, payloadArea.length);
    decodeFramed(wire, seed, TestSkProtectors.gcmForTests());
  }

  @Provide
  Arbitrary<PayloadType> payloadTypes() {
    return Arbitraries.integers().between(0, 255).map(PayloadType::valueOf);
  }

  @Property(tries = 500)
  void mutatedMessages_alwaysYieldAResult(
      @ForAll("anyMessages") IkeMessage m,
      @ForAll @IntRange(min = 1, max = 4) int flips,
      @ForAll boolean truncateAndFixLength,
      @ForAll long seed) {
    SkProtector protector = TestSkProtectors.gcmForTests();
    byte[] wire = encode(m, protector);
    Random r = new Random(seed);
    if (truncateAndFixLength) {
      wire = java.util.Arrays.copyOf(wire, IkeHeader.LENGTH + r.nextInt(wire.length - 27));
      WireWriter.putU32(wire, 24, wire.length);
    } else {
      for (int i = 0; i < flips; i++) {
        wire[r.nextInt(wire.length)] ^= (byte) (1 << r.nextInt(8));
      }
    }
    decodeFramed(wire, seed, protector);
  }

  /** Authenticated garbage must be answered (Ok or ProtectedError), never silently dropped. */
  @Property
  void authenticatedGarbage_isOkOrAProtectedError(
      @ForAll @Size(max = 200) byte[] inner,
      @ForAll("payloadTypes") PayloadType first,
      @ForAll long seed) {
    SkProtector protector = TestSkProtectors.gcmForTests();
    int bodyLength = protector.bodyLength(inner.length);
    byte[] wire = new byte[IkeHeader.LENGTH + 4 + bodyLength];
    new IkeHeader(7, 9, PayloadType.SK, 2, 0, ExchangeType.IKE_AUTH, 0x08, 1, wire.length)
        .writeTo(wire, 0);
    wire[IkeHeader.LENGTH] = (byte) first.value();
    wire[IkeHeader.LENGTH + 2] = (byte) ((4 + bodyLength) >>> 8);
    wire[IkeHeader.LENGTH + 3] = (byte) (4 + bodyLength);
    byte[] body = protector.seal(java.util.Arrays.copyOf(wire, IkeHeader.LENGTH + 4), inner);
    System.arraycopy(body, 0, wire, IkeHeader.LENGTH + 4, body.length);
    DecodeResult result = decodeFramed(wire, seed, protector);
    assertTrue(result instanceof DecodeResult.Ok || result instanceof DecodeResult.ProtectedError,
        () -> "unexpected " + result);
  }
}
