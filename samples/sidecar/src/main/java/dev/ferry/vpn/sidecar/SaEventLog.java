package dev.ferry.vpn.sidecar;

import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.ike.CloseReason;
import dev.ferry.vpn.ike.IkeEvent;
import dev.ferry.vpn.ike.IkeSessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every tunnel event of the endpoint at INFO (failures at WARN or ERROR), one line per event,
 * naming the peer. Only SPIs, suites, selectors and endpoints are logged: {@link ChildSaSpec} and
 * the IKE SA description have no key material in their text, and the pre-shared key is never
 * mentioned, not even when authentication fails.
 */
final class SaEventLog implements IkeSessionListener {
  private static final Logger LOG = LoggerFactory.getLogger("ferry.sa");

  /** Text of an authentication failure the peer reported (it could not verify our AUTH). */
  static final String PEER_REJECTED_AUTH =
      "authentication failed: the peer rejected our AUTH payload; "
          + "check preshared.secret on both sides";

  /** Text of an authentication failure we detected (the peer's AUTH did not verify). */
  static final String PEER_AUTH_INVALID =
      "authentication failed: the peer's AUTH payload does not verify with our pre-shared key "
          + "or its identity is not remote.id; check preshared.secret and the identities on both "
          + "sides";

  @Override
  public void onEvent(IkeEvent event) {
    switch (event) {
      case IkeEvent.IkeSaUp up ->
          LOG.info("IKE SA established with {}: {}", up.peer(), up.sa());
      case IkeEvent.IkeSaRekeyed rekeyed ->
          LOG.info("IKE SA rekeyed with {}: {} replaced by {}", rekeyed.peer(),
              rekeyed.old().spis(), rekeyed.current());
      case IkeEvent.IkeSaDown down -> logDown(down);
      case IkeEvent.ChildSaInstalled installed ->
          LOG.info("CHILD SA installed with {}: {}", installed.peer(), installed.childSa());
      case IkeEvent.ChildSaRekeyed rekeyed ->
          LOG.info("CHILD SA rekeyed with {}: in {} out {} replaced by {}", rekeyed.peer(),
              ChildSaSpec.spiText(rekeyed.old().inboundSpi()),
              ChildSaSpec.spiText(rekeyed.old().outboundSpi()), rekeyed.current());
      case IkeEvent.ChildSaDeleted deleted ->
          LOG.info("CHILD SA deleted with {} ({}): {}", deleted.peer(), deleted.reason(),
              deleted.childSa());
      case IkeEvent.ChildSaFailed failed ->
          LOG.warn("CHILD SA with {} could not be created: {}", failed.peer(),
              failed.reason().message());
    }
  }

  private static void logDown(IkeEvent.IkeSaDown down) {
    switch (down.reason()) {
      case CloseReason.AuthenticationFailed auth ->
          LOG.error("IKE SA with {} failed: {} ({})", down.peer(), explain(auth), auth.detail());
      case CloseReason.Requested requested ->
          LOG.info("IKE SA with {} closed: {}", down.peer(), down.sa());
      case CloseReason.Internal internal ->
          LOG.error("IKE SA with {} torn down after an internal error: {}", down.peer(),
              down.sa(), internal.cause());
      default ->
          LOG.warn("IKE SA with {} down: {} ({})", down.peer(), down.reason().message(),
              down.sa());
    }
  }

  /**
   * Which side rejected the authentication. {@link CloseReason.AuthenticationFailed} carries only
   * text, so the peer's AUTHENTICATION_FAILED notify (RFC 7296 section 2.21.2) is recognised by
   * the exchange code's wording of it.
   */
  static String explain(CloseReason.AuthenticationFailed auth) {
    return auth.detail().contains("rejected our authentication") ? PEER_REJECTED_AUTH
        : PEER_AUTH_INVALID;
  }
}
