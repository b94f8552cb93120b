package dev.ferry.vpn.ike.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.ike.transport.IkeTransport.IkeMessageHandler;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Test double for both handlers: records what arrived, and waits for it with a timeout. */
final class Inbox implements IkeMessageHandler, EspDatagramHandler {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  enum Kind {
    IKE,
    ESP
  }

  record Received(Kind kind, UdpEndpoint local, UdpEndpoint remote, byte[] bytes) {}

  private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger burstEnds = new AtomicInteger();
  /** ESP datagrams that arrived after the last burst end (the transport still owes one). */
  private final AtomicInteger espSinceBurstEnd = new AtomicInteger();

  @Override
  public void onMessage(UdpEndpoint local, UdpEndpoint remote, byte[] message) {
    queue.add(new Received(Kind.IKE, local, remote, message.clone()));
  }

  @Override
  public void onEspDatagram(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
    queue.add(new Received(Kind.ESP, local, remote, Arrays.copyOfRange(buf, off, off + len)));
    espSinceBurstEnd.incrementAndGet();
  }

  @Override
  public void endOfBurst() {
    burstEnds.incrementAndGet();
    espSinceBurstEnd.set(0);
  }

  /** How often the transport said that no more datagrams were ready. */
  int burstEnds() {
    return burstEnds.get();
  }

  /** ESP datagrams delivered since the last burst end. */
  int espSinceBurstEnd() {
    return espSinceBurstEnd.get();
  }

  /** The next datagram, waiting up to {@link #TIMEOUT}. */
  Received take() {
    try {
      Received next = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (next == null) {
        fail("nothing arrived within " + TIMEOUT);
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }

  /** What arrived so far, without waiting. */
  Received poll() {
    return queue.poll();
  }

  int size() {
    return queue.size();
  }

  /** Waits (polling, bounded by {@link #TIMEOUT}) until {@code condition} holds. */
  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
    assertTrue(condition.getAsBoolean());
  }
}
