package dev.ferry.vpn.esp.io;

/**
 * The TUN backend cannot run here at all: the JVM is older than 22 (no final FFM API), the
 * operating system has no {@code /dev/net/tun}, or the process lacks {@code CAP_NET_ADMIN}. The
 * message says which and what to do; retrying will not help.
 */
public final class TunUnavailableException extends TunException {

  private static final long serialVersionUID = 1L;

  public TunUnavailableException(String operation, int errno, String message) {
    super(operation, errno, message);
  }
}
