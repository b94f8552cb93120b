package dev.ferry.vpn.esp.io;

import java.io.IOException;

/**
 * A TUN device operation failed: a system call (with its errno and the C library's text for it)
 * or a configuration command. The message names the operation, the device and the reason.
 */
public class TunException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String operation;
  private final int errno;

  /**
   * @param operation the system call ({@code "ioctl(TUNSETIFF)"}) or command ({@code "ip route
   *     replace"}) that failed
   * @param errno the C errno, or 0 when the failure is not a system call's
   * @param message the whole human-readable message
   */
  public TunException(String operation, int errno, String message) {
    super(message);
    this.operation = operation;
    this.errno = errno;
  }

  /** The system call or command that failed. */
  public String operation() {
    return operation;
  }

  /** The C errno of a failed system call, or 0. */
  public int errno() {
    return errno;
  }
}
