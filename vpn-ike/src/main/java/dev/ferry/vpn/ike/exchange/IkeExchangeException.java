package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.ike.CloseReason;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.NotifyType;
import java.util.Objects;
import java.util.Optional;

/**
 * A task refused a message or learned that the peer refused ours. As responder, the task manager
 * answers the request with {@code N(notify, data)} alone (RFC 7296 section 2.21); as initiator it
 * sends nothing. {@link #fatal()} failures end the IKE SA; others (a CHILD SA that could not be
 * created, section 1.2) leave it up. The message never contains key material.
 */
public final class IkeExchangeException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient NotifyType notify;
  private final transient Bytes notifyData;
  private final transient CloseReason reason;
  private final boolean fatal;

  private IkeExchangeException(NotifyType notify, Bytes notifyData, CloseReason reason,
      boolean fatal, String message) {
    super(message);
    this.notify = Objects.requireNonNull(notify, "notify");
    this.notifyData = Objects.requireNonNull(notifyData, "notifyData");
    this.reason = reason;
    this.fatal = fatal;
  }

  /** We reject the peer's request or response with {@code notify}; the IKE SA ends. */
  public static IkeExchangeException rejectPeer(NotifyType notify, Bytes data, String detail) {
    return new IkeExchangeException(notify, data,
        new CloseReason.ProtocolError(notify.name(), false, detail), true, detail);
  }

  /** The peer answered with an error notify; the IKE SA ends. */
  public static IkeExchangeException peerRefused(NotifyType notify, String detail) {
    return new IkeExchangeException(notify, Bytes.EMPTY,
        new CloseReason.ProtocolError(notify.name(), true, detail), true, detail);
  }

  /** Authentication failed (RFC 7296 section 2.15): answered with AUTHENTICATION_FAILED. */
  public static IkeExchangeException authenticationFailed(String detail) {
    return new IkeExchangeException(NotifyType.AUTHENTICATION_FAILED, Bytes.EMPTY,
        new CloseReason.AuthenticationFailed(detail), true, detail);
  }

  /** A CHILD SA could not be created; the IKE SA stays (RFC 7296 section 1.2). */
  public static IkeExchangeException childFailed(NotifyType notify, boolean sentByPeer,
      String detail) {
    return new IkeExchangeException(notify, Bytes.EMPTY,
        new CloseReason.ProtocolError(notify.name(), sentByPeer, detail), false, detail);
  }

  /** A CHILD SA refused with notification data (e.g. INVALID_KE_PAYLOAD naming a group). */
  public static IkeExchangeException childFailed(NotifyType notify, Bytes data, String detail) {
    return new IkeExchangeException(notify, data,
        new CloseReason.ProtocolError(notify.name(), false, detail), false, detail);
  }

  /**
   * The responder answers {@code notify} without keeping any state and without reporting a
   * failure: INVALID_KE_PAYLOAD and COOKIE are part of a normal IKE_SA_INIT (RFC 7296 sections
   * 1.2 and 2.6).
   */
  public static IkeExchangeException quietRetryRequest(NotifyType notify, Bytes data,
      String detail) {
    return new IkeExchangeException(notify, data, null, true, detail);
  }

  /**
   * The responder refuses a request with {@code notify} as a normal outcome that is nobody's
   * failure, so nothing is reported and the IKE SA stays: TEMPORARY_FAILURE for a rekey that
   * collided with one we already completed (RFC 7296 sections 2.8 and 2.25).
   */
  public static IkeExchangeException quietRefusal(NotifyType notify, String detail) {
    return new IkeExchangeException(notify, Bytes.EMPTY, null, false, detail);
  }

  /**
   * The peer refused our request with {@code notify} for a temporary reason and the request will
   * be sent again later (RFC 7296 section 2.25), so nothing is reported and the IKE SA stays.
   */
  public static IkeExchangeException willRetry(NotifyType notify, String detail) {
    return new IkeExchangeException(notify, Bytes.EMPTY, null, false, detail);
  }

  public NotifyType notifyType() {
    return notify;
  }

  public Bytes notifyData() {
    return notifyData;
  }

  /** What to report, or empty for a quiet retry request or refusal. */
  public Optional<CloseReason> reason() {
    return Optional.ofNullable(reason);
  }

  public boolean fatal() {
    return fatal;
  }
}
