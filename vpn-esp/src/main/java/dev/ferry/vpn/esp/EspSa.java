package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.Support;
import dev.ferry.vpn.core.sa.ChildSaCounters;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.SaLifetime;
import dev.ferry.vpn.esp.replay.ReplayWindow;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One installed ESP CHILD SA pair (RFC 4303, tunnel mode): the {@link OutboundSa} that protects
 * what we send with the peer's SPI and the {@link InboundSa} that accepts what the peer sends with
 * ours, plus what both halves share: traffic counters and the lifetime state (RFC 4301 section
 * 4.4.2.1). Byte and packet limits are checked per direction as packets pass; time limits are
 * applied by whoever schedules them ({@link SaStore}) through {@link #softLimitReached} and {@link
 * #hardLimitReached}. The soft limit notifies the {@link SaLifetimeListener} once; the hard limit
 * notifies once and makes both halves drop every further packet ({@link EspVerdict#SA_EXPIRED},
 * {@link OutboundDrop#SA_EXPIRED}).
 *
 * <p>Thread-safety: the outbound half may be used by any number of threads; the inbound half by one
 * thread at a time (its replay window and cipher are single-owner). Counters and lifetime state
 * are safe to read from anywhere.
 */
public final class EspSa {
  private static final Logger LOG = LoggerFactory.getLogger(EspSa.class);
  private static final int LIVE = 0;
  private static final int SOFT = 1;
  private static final int HARD = 2;

  private final ChildSaSpec spec;
  private final SaLifetimeListener listener;
  private final InstantSource clock;
  private final AtomicInteger state = new AtomicInteger(LIVE);
  private final long softBytes;
  private final long hardBytes;
  private final long softPackets;
  private final long hardPackets;
  final AtomicLong inboundPackets = new AtomicLong();
  final AtomicLong inboundBytes = new AtomicLong();
  final AtomicLong outboundBytes = new AtomicLong();
  /** Epoch milliseconds of the last accepted inbound packet; {@code Long.MIN_VALUE} before any. */
  final AtomicLong lastInboundMillis = new AtomicLong(Long.MIN_VALUE);
  private final OutboundSa outbound;
  private final InboundSa inbound;

  EspSa(ChildSaSpec spec, CryptoProvider crypto, EspStats stats, SaLifetimeListener listener,
      InstantSource clock, long lastOutboundSequence) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(stats, "stats");
    if (spec.replayWindow() > ReplayWindow.MAX_SIZE) {
      throw new IllegalArgumentException("replay window " + spec.replayWindow() + " of " + spec
          + " exceeds the supported " + ReplayWindow.MAX_SIZE + " packets");
    }
    SaLifetime lifetime = spec.lifetime();
    softBytes = limit(lifetime.softBytes());
    hardBytes = limit(lifetime.hardBytes());
    softPackets = limit(lifetime.softPackets());
    hardPackets = limit(lifetime.hardPackets());
    boolean esn = spec.extendedSequenceNumbers();
    outbound = new OutboundSa(this, spec.outboundSpi(),
        new EspCipherFactory(crypto, spec.proposal(), spec.outboundKeys(), esn)::create, stats, esn,
        lastOutboundSequence);
    inbound = new InboundSa(this, spec.inboundSpi(),
        new EspCipherFactory(crypto, spec.proposal(), spec.inboundKeys(), esn).create(), stats,
        new ReplayWindow(spec.replayWindow(), esn), new SelectorSet(spec.localSelectors()),
        new SelectorSet(spec.remoteSelectors()));
    if (spec.proposal().transformsWith(Support.LEGACY).stream()
        .anyMatch(t -> t.algorithm() == EncryptionAlgorithm.TRIPLE_DES)) {
      LOG.warn("CHILD SA {} uses 3DES-CBC, a legacy cipher (RFC 8221: SHOULD NOT); "
          + "it is accepted only for the chart's default proposals", spec);
    }
  }

  /**
   * The data-plane SA for a negotiated CHILD SA.
   *
   * @throws IllegalArgumentException when the provider cannot run the proposal, the keys do not fit
   *     it or the replay window is larger than {@link ReplayWindow#MAX_SIZE}
   */
  public static EspSa create(ChildSaSpec spec, CryptoProvider crypto, EspStats stats,
      SaLifetimeListener listener, InstantSource clock) {
    return new EspSa(spec, crypto, stats, listener, clock, 0);
  }

  private static long limit(long configured) {
    return configured == 0 ? Long.MAX_VALUE : configured;
  }

  public ChildSaSpec spec() {
    return spec;
  }

  public OutboundSa outbound() {
    return outbound;
  }

  public InboundSa inbound() {
    return inbound;
  }

  /** True once a hard limit was reached: both halves drop everything. */
  public boolean isExpired() {
    return state.get() == HARD;
  }

  /** True once a soft (or hard) limit was reached: a rekey is due. */
  public boolean isRekeyDue() {
    return state.get() != LIVE;
  }

  /** Traffic so far. The last inbound time has the precision of the injected clock's millis. */
  public ChildSaCounters counters() {
    long last = lastInboundMillis.get();
    return new ChildSaCounters(inboundPackets.get(), inboundBytes.get(),
        outbound.packetsProtected(), outboundBytes.get(),
        last == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(last)));
  }

  long nowMillis() {
    return clock.millis();
  }

  /**
   * Checks one direction's totals after a packet: {@code packets} counted so far including this
   * one, octets before and after it. Fires each limit once.
   */
  void checkLimits(long packets, long bytesBefore, long bytesAfter) {
    if (packets >= hardPackets) {
      hardLimitReached(LifetimeLimit.PACKETS);
    } else if (bytesAfter >= hardBytes) {
      hardLimitReached(LifetimeLimit.BYTES);
    } else if (packets == softPackets) {
      softLimitReached(LifetimeLimit.PACKETS);
    } else if (bytesBefore < softBytes && bytesAfter >= softBytes) {
      softLimitReached(LifetimeLimit.BYTES);
    }
  }

  /** Marks a soft limit and tells the listener, once per SA. */
  public void softLimitReached(LifetimeLimit limit) {
    if (state.compareAndSet(LIVE, SOFT)) {
      notifyListener(false, limit);
    }
  }

  /** Stops the SA and tells the listener, once per SA. */
  public void hardLimitReached(LifetimeLimit limit) {
    if (state.getAndSet(HARD) != HARD) {
      notifyListener(true, limit);
    }
  }

  private void notifyListener(boolean hard, LifetimeLimit limit) {
    try {
      if (hard) {
        listener.hardLimitReached(spec, limit);
      } else {
        listener.softLimitReached(spec, limit);
      }
    } catch (RuntimeException e) {
      // The packet path must not throw; a failing listener is a bug in the embedding application.
      LOG.error("lifetime listener failed for CHILD SA {} ({} {} limit)", spec,
          hard ? "hard" : "soft", limit, e);
    }
  }

  @Override
  public String toString() {
    return "EspSa[" + spec + (isExpired() ? ", expired" : isRekeyDue() ? ", rekey due" : "") + "]";
  }
}
