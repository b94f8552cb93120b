package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.time.Scheduler;
import dev.ferry.vpn.ike.CloseReason;
import dev.ferry.vpn.ike.RetransmissionPolicy;
import dev.ferry.vpn.ike.message.ExchangeType;
import dev.ferry.vpn.ike.message.IkeMessage;
import dev.ferry.vpn.ike.message.IkePayload;
import dev.ferry.vpn.ike.message.NotifyPayload;
import dev.ferry.vpn.ike.sa.IkeSa;
import dev.ferry.vpn.ike.IkeSaState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the exchanges of one IKE SA and alone owns what RFC 7296 section 2.1-2.3 gives the two
 * ends: Message IDs (ours for requests we send, the peer's for requests we answer), the window
 * (size 1: one request of ours outstanding at a time, section 2.3), retransmission of our
 * outstanding request with exponential backoff until it is given up, and the cache of our last
 * response, sent again when the peer retransmits its request (section 2.1). Exchanges we start
 * wait in a queue until the window is free.
 *
 * <p>Confined to the IKE SA's executor; not thread-safe.
 */
public final class TaskManager {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManager.class);

  /** Sends one datagram; the endpoint's transport. */
  @FunctionalInterface
  public interface Sender {
    void send(UdpEndpoint local, UdpEndpoint remote, byte[] message);
  }

  /** What the task manager reports upwards. */
  public interface Outcome {
    /** The IKE SA must end (fatal task failure or retransmission given up). */
    void failed(CloseReason reason);

    /** A non-fatal failure, e.g. a CHILD SA refused in IKE_AUTH. */
    void childFailed(CloseReason reason);
  }

  private final IkeSa sa;
  private final Sender sender;
  private final Scheduler scheduler;
  private final RetransmissionPolicy retransmission;
  private final Function<ExchangeType, List<IkeTask>> responderPlans;
  private final Outcome outcome;
  private final ArrayDeque<ExchangePlan> queue = new ArrayDeque<>();

  private long nextRequestId;
  private long expectedPeerRequestId;
  private Outstanding outstanding;
  private Cached lastResponse;
  private boolean closed;

  private static final class Outstanding {
    final ExchangePlan plan;
    final long messageId;
    List<byte[]> packets;
    int sends;
    Scheduler.Cancellable timer;

    Outstanding(ExchangePlan plan, long messageId) {
      this.plan = plan;
      this.messageId = messageId;
    }
  }

  private record Cached(long messageId, List<byte[]> packets) { }

  /**
   * @param responderPlans the tasks that answer a request of each exchange type; an empty list
   *     means the exchange type is not handled and the request is ignored
   */
  public TaskManager(IkeSa sa, Sender sender, Scheduler scheduler,
      RetransmissionPolicy retransmission, Function<ExchangeType, List<IkeTask>> responderPlans,
      Outcome outcome) {
    this.sa = Objects.requireNonNull(sa, "sa");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.retransmission = Objects.requireNonNull(retransmission, "retransmission");
    this.responderPlans = Objects.requireNonNull(responderPlans, "responderPlans");
    this.outcome = Objects.requireNonNull(outcome, "outcome");
  }

  /** Queues an exchange we initiate; it starts when the window is free (RFC 7296 2.3). */
  public void queue(ExchangePlan plan) {
    if (closed) {
      return;
    }
    queue.add(plan);
    startNext();
  }

  /** True while one of our requests waits for its response or exchanges wait to start. */
  public boolean busy() {
    return outstanding != null || !queue.isEmpty();
  }

  /** Stops timers and forgets queued work; later messages are ignored. Idempotent. */
  public void close() {
    closed = true;
    queue.clear();
    if (outstanding != null && outstanding.timer != null) {
      outstanding.timer.cancel();
    }
    outstanding = null;
  }

  /** Handles a decoded request from the peer, which arrived on {@code local} from {@code remote}. */
  public void onRequest(IkeMessage request, byte[] raw, UdpEndpoint local, UdpEndpoint remote) {
    if (closed) {
      return;
    }
    long id = request.messageId();
    if (lastResponse != null && id == lastResponse.messageId()) {
      // RFC 7296 section 2.1: a retransmitted request gets the cached response, unprocessed.
      // Guarded: building the SPI string and the message summary for a disabled DEBUG cost a few
    // percent of a whole handshake (IkeHandshakeBench).
    if (LOG.isDebugEnabled()) {
        LOG.debug("{} retransmitted request {}, resending response", sa.info().spis(), id);
      }
      for (byte[] packet : lastResponse.packets()) {
        sender.send(local, remote, packet);
      }
      return;
    }
    if (id != expectedPeerRequestId) {
      // RFC 7296 section 2.3: outside the window (size 1); drop without answering.
      if (LOG.isDebugEnabled()) {
        LOG.debug("{} drops request {} outside window (expected {})", sa.info().spis(), id,
            expectedPeerRequestId);
      }
      return;
    }
    if (sa.natDetected() && sa.hasKeys()) {
      // RFC 7296 section 2.23: follow the peer's address/port from authenticated requests.
      sa.moveTo(local, remote);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} parsed {}", sa.info().spis(), request.summary());
    }
    List<IkeTask> tasks = responderPlans.apply(request.exchangeType());
    List<IkePayload> payloads = new ArrayList<>();
    List<IkePayload> childErrors = new ArrayList<>();
    IkeExchangeException failure = null;
    try {
      List<IkeTask> accepted = new ArrayList<>();
      for (IkeTask task : tasks) {
        try {
          task.process(request);
          accepted.add(task);
        } catch (IkeExchangeException e) {
          if (e.fatal()) {
            throw e;
          }
          // RFC 7296 section 1.2: a refused CHILD SA does not fail the IKE SA.
          failure = e;
          childErrors.add(NotifyPayload.of(e.notifyType(), e.notifyData()));
        }
      }
      for (IkeTask task : accepted) {
        task.build(payloads);
      }
      payloads.addAll(childErrors);
    } catch (IkeExchangeException e) {
      failure = e;
      payloads = List.of(NotifyPayload.of(e.notifyType(), e.notifyData()));
    }
    IkeMessage response = new IkeMessage(sa.initiatorSpi(), sa.responderSpi(),
        request.exchangeType(), sa.isInitiator(), true, id, encrypted(request.exchangeType()),
        payloads);
    List<byte[]> packets = encode(response);
    if (request.exchangeType().equals(ExchangeType.IKE_SA_INIT) && sa.hasKeys()) {
      sa.setInitMessages(raw, packets.get(0));
    }
    expectedPeerRequestId = id + 1;
    lastResponse = new Cached(id, packets);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} generating {}", sa.info().spis(), response.summary());
    }
    for (byte[] packet : packets) {
      sender.send(local, remote, packet);
    }
    if (failure != null) {
      report(failure);
    } else if (sa.state() == IkeSaState.DELETING) {
      outcome.failed(new CloseReason.PeerDeleted());
    }
  }

  /**
   * Answers an authenticated request whose payloads are malformed with the decoder's error notify
   * (RFC 7296 section 2.21.2); a malformed IKE_AUTH request also ends the IKE SA, since it cannot
   * be authenticated. Malformed responses are ignored (the request will be retransmitted).
   */
  public void onMalformedRequest(long messageId, ExchangeType type,
      dev.ferry.vpn.ike.message.NotifyType error, dev.ferry.vpn.ike.message.Bytes data,
      UdpEndpoint local, UdpEndpoint remote) {
    if (closed || messageId != expectedPeerRequestId || !sa.hasKeys()) {
      return;
    }
    IkeMessage response = new IkeMessage(sa.initiatorSpi(), sa.responderSpi(), type,
        sa.isInitiator(), true, messageId, true, List.of(NotifyPayload.of(error, data)));
    List<byte[]> packets = encode(response);
    expectedPeerRequestId = messageId + 1;
    lastResponse = new Cached(messageId, packets);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} generating {}", sa.info().spis(), response.summary());
    }
    for (byte[] packet : packets) {
      sender.send(local, remote, packet);
    }
    if (type.equals(ExchangeType.IKE_AUTH)) {
      outcome.failed(new CloseReason.ProtocolError(error.name(), false,
          "malformed IKE_AUTH request from " + remote));
    }
  }

  /** Handles a decoded response from the peer. */
  public void onResponse(IkeMessage response, byte[] raw) {
    if (closed || outstanding == null || response.messageId() != outstanding.messageId) {
      // RFC 7296 section 2.3: a response to nothing outstanding is dropped.
      return;
    }
    Outstanding done = outstanding;
    done.timer.cancel();
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} parsed {}", sa.info().spis(), response.summary());
    }
    boolean retry = false;
    IkeExchangeException childFailure = null;
    for (IkeTask task : done.plan.tasks()) {
      try {
        retry |= task.process(response) == IkeTask.Status.RETRY;
      } catch (IkeExchangeException e) {
        if (e.fatal()) {
          outstanding = null;
          report(e);
          return;
        }
        childFailure = e;
      }
    }
    if (childFailure != null) {
      report(childFailure);
    }
    if (retry) {
      outstanding = null;
      if (done.plan.type().equals(ExchangeType.IKE_SA_INIT)) {
        // RFC 7296 sections 1.3 and 2.6: IKE_SA_INIT is retried with Message ID 0 again, since
        // the responder kept no state.
        send(done.plan, done.messageId);
      } else {
        // Any other exchange completed with the error; the retry is a new exchange.
        nextRequestId = done.messageId + 1;
        send(done.plan, nextRequestId);
      }
      return;
    }
    finishExchange(done, raw);
  }

  private void finishExchange(Outstanding done, byte[] raw) {
    if (done.plan.type().equals(ExchangeType.IKE_SA_INIT)) {
      sa.setInitMessages(done.packets.get(0), raw);
    }
    outstanding = null;
    nextRequestId = done.messageId + 1;
    if (sa.state() == IkeSaState.DELETING) {
      // RFC 7296 section 1.4.1: our delete was answered; the IKE SA is gone on both sides.
      outcome.failed(new CloseReason.Requested());
      return;
    }
    startNext();
  }

  private void report(IkeExchangeException e) {
    if (e.reason().isEmpty()) {
      if (e.fatal()) {
        outcome.failed(null);
      }
    } else if (e.fatal()) {
      outcome.failed(e.reason().get());
    } else {
      outcome.childFailed(e.reason().get());
    }
  }

  private void startNext() {
    if (closed || outstanding != null || queue.isEmpty()
        || sa.state() == IkeSaState.DEAD || sa.state() == IkeSaState.DELETING) {
      return;
    }
    send(queue.poll(), nextRequestId);
  }

  private void send(ExchangePlan plan, long messageId) {
    Outstanding out = new Outstanding(plan, messageId);
    List<IkePayload> payloads = new ArrayList<>();
    try {
      for (IkeTask task : plan.tasks()) {
        task.build(payloads);
      }
    } catch (IkeExchangeException e) {
      report(e);
      return;
    }
    IkeMessage request = new IkeMessage(sa.initiatorSpi(), sa.responderSpi(), plan.type(),
        sa.isInitiator(), false, messageId, encrypted(plan.type()), payloads);
    out.packets = encode(request);
    outstanding = out;
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} generating {}", sa.info().spis(), request.summary());
    }
    transmit(out);
  }

  private void transmit(Outstanding out) {
    // The timer is armed before sending: a transport that delivers synchronously (the loopback
    // network in immediate mode) may hand us the response before send returns.
    int sendIndex = out.sends++;
    out.timer = scheduler.schedule(retransmission.timeout(sendIndex), () -> onTimeout(out));
    for (byte[] packet : out.packets) {
      sender.send(sa.local(), sa.remote(), packet);
    }
  }

  private void onTimeout(Outstanding out) {
    if (closed || outstanding != out) {
      return;
    }
    if (out.sends > retransmission.retransmits()) {
      // RFC 7296 section 2.1/2.4: after the last retransmission the peer is considered dead.
      outstanding = null;
      LOG.info("{} giving up after {} retransmits of {} request {}", sa, out.sends - 1,
          out.plan.type(), out.messageId);
      outcome.failed(new CloseReason.Timeout(out.plan.type().toString()));
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} retransmit {} of {} request {}", sa.info().spis(), out.sends, out.plan.type(),
          out.messageId);
    }
    transmit(out);
  }

  private static boolean encrypted(ExchangeType type) {
    return !type.equals(ExchangeType.IKE_SA_INIT);
  }

  private List<byte[]> encode(IkeMessage message) {
    if (!message.encrypted()) {
      return List.of(message.encode());
    }
    byte[] whole = message.encode(sa.outbound());
    int limit = sa.config().fragmentSize();
    // RFC 7383 section 2.5: fragment only when the peer announced support and the message is
    // larger than the configured size.
    if (whole.length > limit && sa.peerSupportsFragmentation()) {
      return message.encodeFragments(sa.outbound(), limit);
    }
    return List.of(whole);
  }
}
