package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.RecordingChildSaInstaller;
import dev.ferry.vpn.core.time.ExecutorScheduler;
import dev.ferry.vpn.ike.HalfOpenPolicy;
import dev.ferry.vpn.ike.IkeEndpoint;
import dev.ferry.vpn.ike.IkeEnvironment;
import dev.ferry.vpn.ike.IkePeerConfig;
import dev.ferry.vpn.ike.IkeSaInfo;
import dev.ferry.vpn.ike.IkeSaState;
import dev.ferry.vpn.ike.transport.IkeListenConfig;
import dev.ferry.vpn.ike.transport.NettyIkeTransport;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running {@link IkeEndpoint} for one configured peer, with the threads it needs: a single
 * thread for all IKE SA work and timers (the endpoint's serial executor), one for event logging,
 * and Netty's I/O thread. Queries ({@link #snapshot()}) run on the SA thread, because the endpoint's
 * state is confined to it.
 *
 * <p>Data plane: none is attached yet. Negotiated CHILD SAs go to a {@link
 * RecordingChildSaInstaller}, which keeps them for {@code status} but forwards no ESP traffic.
 */
final class SidecarEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("ferry.sidecar");
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

  private final IkePeerConfig peer;
  private final ScheduledExecutorService saThread;
  private final ExecutorService eventThread;
  private final RecordingChildSaInstaller childSas = new RecordingChildSaInstaller();
  private final IkeEndpoint endpoint;
  private final List<UdpEndpoint> localEndpoints;

  /** One IKE SA as {@code status} shows it, with our view of its state. */
  record IkeSaStatus(IkeSaInfo info, IkeSaState state) {
    long localSpi() {
      return info.initiator() ? info.initiatorSpi() : info.responderSpi();
    }
  }

  /** The endpoint's IKE SAs and installed CHILD SAs at one moment. */
  record Snapshot(List<IkeSaStatus> ikeSas, List<ChildSaSpec> childSas) {}

  private SidecarEndpoint(IkePeerConfig peer, IkeListenConfig listen) {
    this.peer = peer;
    this.saThread = Executors.newSingleThreadScheduledExecutor(daemon("ferry-ike-sa"));
    this.eventThread = Executors.newSingleThreadExecutor(daemon("ferry-ike-events"));
    IkeEnvironment environment = new IkeEnvironment(new CryptoProvider(new SecureRandom()),
        new ExecutorScheduler(saThread), InstantSource.system(), childSas, new SaEventLog(),
        eventThread, saThread);
    NettyIkeTransport[] opened = new NettyIkeTransport[1];
    try {
      this.endpoint = new IkeEndpoint(List.of(peer), environment, HalfOpenPolicy.DEFAULT,
          handler -> opened[0] = NettyIkeTransport.open(listen, handler, null));
    } catch (RuntimeException e) {
      saThread.shutdownNow();
      eventThread.shutdownNow();
      throw e;
    }
    this.localEndpoints = opened[0].localEndpoints();
  }

  /**
   * Binds the transport on {@code listen} and starts the endpoint for {@code peer}.
   *
   * @throws dev.ferry.vpn.ike.transport.IkeTransportException when a socket cannot be bound
   */
  static SidecarEndpoint start(IkePeerConfig peer, IkeListenConfig listen) {
    return new SidecarEndpoint(peer, listen);
  }

  IkePeerConfig peer() {
    return peer;
  }

  /** The bound sockets, e.g. {@code 192.0.2.1:500} and {@code 192.0.2.1:4500}. */
  List<UdpEndpoint> localEndpoints() {
    return localEndpoints;
  }

  /** Initiates IKE_SA_INIT and IKE_AUTH with the first CHILD SA towards {@code gateway}. */
  void initiate(IpAddress gateway) {
    endpoint.initiate(peer, new UdpEndpoint(gateway, peer.ikePort()));
  }

  Snapshot snapshot() {
    List<IkeSaStatus> ikeSas = onSaThread(() -> endpoint.ikeSas().stream()
        .map(info -> new IkeSaStatus(info, endpoint.state(
            info.initiator() ? info.initiatorSpi() : info.responderSpi())
            .orElse(IkeSaState.DEAD)))
        .toList());
    return new Snapshot(ikeSas, childSas.installed());
  }

  void rekeyChild(int inboundSpi) {
    endpoint.rekeyChild(inboundSpi);
  }

  void deleteChild(int inboundSpi) {
    endpoint.deleteChild(inboundSpi);
  }

  void deleteIke(long localSpi) {
    endpoint.delete(localSpi);
  }

  /**
   * Rekeys the IKE SA with our SPI {@code localSpi} with CREATE_CHILD_SA (RFC 7296 section 1.3.2);
   * its CHILD SAs move to the new IKE SA (section 2.18).
   */
  void rekeyIke(long localSpi) {
    endpoint.rekeyIke(localSpi);
  }

  /**
   * Deletes every established IKE SA with its peer (INFORMATIONAL DELETE, RFC 7296 section
   * 1.4.1), waits up to {@code wait} for the peers' answers, then closes the endpoint and the
   * transport. Returns the number of IKE SAs that were still there when the wait ended.
   */
  int stop(Duration wait) {
    List<Long> established = onSaThread(() -> endpoint.ikeSas().stream()
        .map(info -> info.initiator() ? info.initiatorSpi() : info.responderSpi())
        .filter(spi -> endpoint.state(spi).orElse(IkeSaState.DEAD) == IkeSaState.ESTABLISHED)
        .toList());
    if (!established.isEmpty()) {
      LOG.info("stopping: deleting {} IKE SA(s) with the peer", established.size());
    }
    established.forEach(endpoint::delete);
    long deadline = System.nanoTime() + wait.toNanos();
    List<Long> remaining = established;
    while (!remaining.isEmpty() && System.nanoTime() < deadline) {
      sleep(50);
      remaining = onSaThread(() -> established.stream()
          .filter(spi -> endpoint.state(spi).isPresent()).toList());
    }
    if (!remaining.isEmpty()) {
      LOG.warn("stopping: {} IKE SA(s) not confirmed deleted by the peer within {} ms; closing "
          + "them locally", remaining.size(), wait.toMillis());
    }
    close();
    return remaining.size();
  }

  /** Closes the endpoint (local teardown, no messages) and the transport, then the threads. */
  @Override
  public void close() {
    endpoint.close();
    // close() queued the teardown on the SA thread; this barrier waits until it ran.
    try {
      onSaThread(() -> Boolean.TRUE);
    } catch (IllegalStateException e) {
      LOG.debug("SA thread did not confirm the teardown: {}", e.getMessage());
    }
    saThread.shutdown();
    eventThread.shutdown();
    try {
      saThread.awaitTermination(1, TimeUnit.SECONDS);
      eventThread.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T onSaThread(Callable<T> query) {
    Future<T> result;
    try {
      result = saThread.submit(query);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("the endpoint is stopped", e);
    }
    try {
      return result.get(QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while querying the endpoint", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("endpoint query failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      result.cancel(false);
      throw new IllegalStateException("the endpoint did not answer within " + QUERY_TIMEOUT);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
