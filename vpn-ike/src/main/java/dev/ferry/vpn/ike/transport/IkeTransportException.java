package dev.ferry.vpn.ike.transport;

/**
 * A transport could not be opened: a socket could not be bound (address in use, address not local,
 * permission denied for ports below 1024). Nothing stays bound when this is thrown.
 */
public final class IkeTransportException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public IkeTransportException(String message, Throwable cause) {
    super(message, cause);
  }

  public IkeTransportException(String message) {
    super(message);
  }
}
