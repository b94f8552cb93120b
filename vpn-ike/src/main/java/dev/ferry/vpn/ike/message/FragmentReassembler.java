package dev.ferry.vpn.ike.message;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reassembles authenticated RFC 7383 fragments ({@link DecodeResult.Fragment}) of one IKE SA into
 * messages. Keep one per IKE SA; it is not thread-safe (an IKE SA is confined to one executor).
 *
 * <p>Messages are told apart by Message ID and the R flag. Rules (RFC 7383 section 2.6): a fragment
 * announcing more Total Fragments than those already held restarts reassembly of that message
 * (the sender re-fragmented smaller); one announcing fewer is discarded; duplicates are ignored.
 * Memory is bounded: at most {@code maxMessages} messages in progress (a new one evicts the
 * oldest) and {@code maxBytes} octets held in all; a fragment that would exceed the byte budget is
 * discarded. A message not completed within {@code timeout} of its first fragment is dropped. Time
 * comes from the caller's clock.
 *
 * <p>Fragments are only ever accepted after their ICV verified, so an off-path attacker cannot fill
 * the buffers; the bounds protect against a misbehaving peer.
 */
public final class FragmentReassembler {
  private final int maxMessages;
  private final int maxBytes;
  private final Duration timeout;
  private final InstantSource clock;
  private final Map<Long, Pending> pending = new LinkedHashMap<>();
  private int heldBytes;
  private long discardedFragments;

  private static final class Pending {
    final int total;
    final Instant started;
    final Map<Integer, Bytes> parts = new HashMap<>();
    DecodeResult.Fragment first;
    int bytes;

    Pending(int total, Instant started) {
      this.total = total;
      this.started = started;
    }
  }

  public FragmentReassembler(int maxMessages, int maxBytes, Duration timeout, InstantSource clock) {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages " + maxMessages + " must be at least 1");
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes " + maxBytes + " must be at least 1");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout " + timeout + " must be positive");
    }
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Adds one fragment. Returns the decoded message ({@link DecodeResult.Ok}, or {@link
   * DecodeResult.ProtectedError} when the reassembled payloads are malformed) once every fragment
   * is present, and empty before that or when the fragment was discarded.
   */
  public Optional<DecodeResult> accept(DecodeResult.Fragment fragment) {
    Instant now = clock.instant();
    expire(now);
    IkeHeader header = fragment.header();
    long key = header.messageId() | (header.isResponse() ? 1L << 32 : 0);
    Pending p = pending.get(key);
    if (p != null && fragment.total() != p.total) {
      if (fragment.total() < p.total) {
        // RFC 7383 section 2.6: fewer Total Fragments than already seen: discard this one.
        discardedFragments++;
        return Optional.empty();
      }
      // RFC 7383 section 2.6: more Total Fragments: the sender re-fragmented; start over.
      remove(key, p);
      p = null;
    }
    if (p == null) {
      if (pending.size() >= maxMessages) {
        Iterator<Map.Entry<Long, Pending>> oldest = pending.entrySet().iterator();
        Map.Entry<Long, Pending> e = oldest.next();
        remove(e.getKey(), e.getValue());
      }
      p = new Pending(fragment.total(), now);
      pending.put(key, p);
    }
    if (p.parts.containsKey(fragment.number())) {
      return Optional.empty();
    }
    int size = fragment.innerOctets().length();
    if (size > maxBytes - heldBytes) {
      discardedFragments++;
      return Optional.empty();
    }
    p.parts.put(fragment.number(), fragment.innerOctets());
    p.bytes += size;
    heldBytes += size;
    if (fragment.number() == 1) {
      p.first = fragment;
    }
    if (p.parts.size() < p.total) {
      return Optional.empty();
    }
    byte[] inner = new byte[p.bytes];
    int pos = 0;
    for (int n = 1; n <= p.total; n++) {
      Bytes part = p.parts.get(n);
      part.copyTo(inner, pos);
      pos += part.length();
    }
    pending.remove(key);
    heldBytes -= p.bytes;
    return Optional.of(
        IkeMessageDecoder.decodeInner(p.first.header(), p.first.firstPayload(), inner));
  }

  private void expire(Instant now) {
    Iterator<Pending> it = pending.values().iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (Duration.between(p.started, now).compareTo(timeout) >= 0) {
        discardedFragments += p.parts.size();
        heldBytes -= p.bytes;
        it.remove();
      }
    }
  }

  private void remove(long key, Pending p) {
    pending.remove(key);
    discardedFragments += p.parts.size();
    heldBytes -= p.bytes;
  }

  /** Messages currently being reassembled. */
  public int pendingMessages() {
    return pending.size();
  }

  /** Octets of fragments currently held. */
  public int heldBytes() {
    return heldBytes;
  }

  /**
   * Fragments thrown away so far: inconsistent totals, over the byte budget, evicted or timed out.
   */
  public long discardedFragments() {
    return discardedFragments;
  }
}
