package dev.ferry.vpn.ike;

/**
 * Receives tunnel events from an {@link IkeEndpoint}. Called on the {@link java.util.concurrent
 * .Executor} given to the endpoint, never on an IKE SA's own executor, so a slow or throwing
 * listener cannot stall or break the protocol. Events of one IKE SA arrive in order when that
 * executor is serial.
 */
@FunctionalInterface
public interface IkeSessionListener {

  void onEvent(IkeEvent event);

  /** Ignores every event. */
  IkeSessionListener NONE = event -> { };
}
