package dev.ferry.vpn.ike.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 7383 section 2.6 reassembly rules, the memory bounds and the timeout. */
class FragmentReassemblerTest {
  private static final IkeMessage MESSAGE = new IkeMessage(5, 6, ExchangeType.IKE_AUTH, true,
      false, 1, true, List.of(new NoncePayload(Bytes.of(new byte[100])),
          new VendorIdPayload(Bytes.of(new byte[50]))));

  /** A clock the test moves by hand. */
  private static final class ManualClock implements InstantSource {
    Instant now = Instant.EPOCH;

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();

  private static List<DecodeResult.Fragment> fragments(IkeMessage m, int maxSize) {
    var protector = TestSkProtectors.gcmForTests();
    return m.encodeFragments(protector, maxSize).stream()
        .map(f -> (DecodeResult.Fragment) IkeMessageDecoder.decode(f, 0, f.length, protector))
        .toList();
  }

  private FragmentReassembler reassembler(int maxMessages, int maxBytes) {
    return new FragmentReassembler(maxMessages, maxBytes, Duration.ofSeconds(10), clock);
  }

  @Test
  void firstFragmentNamesTheInnerPayload_othersCarryNone() {
    List<DecodeResult.Fragment> parts = fragments(MESSAGE, 100);
    assertTrue(parts.size() > 2);
    assertEquals(PayloadType.NONCE, parts.get(0).firstPayload());
    parts.subList(1, parts.size()).forEach(f -> assertEquals(PayloadType.NONE, f.firstPayload()));
  }

  @Test
  void duplicatesAreIgnored() {
    List<DecodeResult.Fragment> parts = fragments(MESSAGE, 100);
    FragmentReassembler r = reassembler(2, 10_000);
    for (int i = 0; i < parts.size() - 1; i++) {
      r.accept(parts.get(i));
      assertEquals(Optional.empty(), r.accept(parts.get(i)));
    }
    DecodeResult done = r.accept(parts.get(parts.size() - 1)).orElseThrow();
    assertEquals(MESSAGE, assertInstanceOf(DecodeResult.Ok.class, done).message());
    assertEquals(0, r.discardedFragments());
  }

  @Test
  void largerTotalRestartsReassembly_smallerTotalIsDiscarded() {
    List<DecodeResult.Fragment> big = fragments(MESSAGE, 150);
    List<DecodeResult.Fragment> small = fragments(MESSAGE, 80);
    assertTrue(small.size() > big.size());
    FragmentReassembler r = reassembler(2, 10_000);
    r.accept(big.get(0));
    // RFC 7383 section 2.6: more fragments than before means the sender re-fragmented.
    r.accept(small.get(0));
    assertEquals(1, r.discardedFragments());
    // ... and a fragment of the older, coarser set is now discarded.
    assertEquals(Optional.empty(), r.accept(big.get(1)));
    assertEquals(2, r.discardedFragments());
    Optional<DecodeResult> done = Optional.empty();
    for (DecodeResult.Fragment f : small.subList(1, small.size())) {
      done = r.accept(f);
    }
    assertEquals(MESSAGE, assertInstanceOf(DecodeResult.Ok.class, done.orElseThrow()).message());
  }

  @Test
  void incompleteMessagesTimeOut() {
    List<DecodeResult.Fragment> parts = fragments(MESSAGE, 100);
    FragmentReassembler r = reassembler(2, 10_000);
    r.accept(parts.get(0));
    clock.now = clock.now.plusSeconds(10);
    for (DecodeResult.Fragment f : parts.subList(1, parts.size())) {
      assertEquals(Optional.empty(), r.accept(f));
    }
    assertEquals(1, r.discardedFragments());
  }

  @Test
  void byteBudgetBoundsHeldOctets() {
    List<DecodeResult.Fragment> parts = fragments(MESSAGE, 100);
    int firstSize = parts.get(0).innerOctets().length();
    FragmentReassembler r = reassembler(2, firstSize);
    r.accept(parts.get(0));
    assertEquals(Optional.empty(), r.accept(parts.get(1)));
    assertEquals(firstSize, r.heldBytes());
    assertEquals(1, r.discardedFragments());
  }

  @Test
  void newMessageEvictsTheOldestWhenFull() {
    IkeMessage other = new IkeMessage(5, 6, ExchangeType.IKE_AUTH, true, false, 2, true,
        MESSAGE.payloads());
    FragmentReassembler r = reassembler(1, 10_000);
    r.accept(fragments(MESSAGE, 100).get(0));
    r.accept(fragments(other, 100).get(0));
    assertEquals(1, r.pendingMessages());
    assertEquals(1, r.discardedFragments());
  }

  @Test
  void requestsAndResponsesWithTheSameIdAreKeptApart() {
    IkeMessage response = new IkeMessage(5, 6, ExchangeType.IKE_AUTH, false, true, 1, true,
        MESSAGE.payloads());
    FragmentReassembler r = reassembler(2, 10_000);
    r.accept(fragments(MESSAGE, 100).get(0));
    r.accept(fragments(response, 100).get(0));
    assertEquals(2, r.pendingMessages());
  }

  @Test
  void constructorRejectsUselessBounds() {
    assertThrows(IllegalArgumentException.class,
        () -> new FragmentReassembler(0, 1, Duration.ofSeconds(1), clock));
    assertThrows(IllegalArgumentException.class,
        () -> new FragmentReassembler(1, 1, Duration.ZERO, clock));
  }
}
