package dev.ferry.vpn.esp.io;

import java.util.Objects;

/**
 * Linux TUN devices ({@code /dev/net/tun}) through the FFM API. This is the Java 21 class of a
 * multi-release jar: FFM is final only from JDK 22, so on Java 21 {@link #open} fails with a
 * {@link TunUnavailableException} that says so. On JDK 22 and newer the JVM loads the class of the
 * same name from {@code META-INF/versions/22}, which does the work.
 */
public final class LinuxTun {

  private LinuxTun() {}

  /**
   * Creates and configures a TUN device (see the JDK 22 class for the full contract).
   *
   * @throws TunUnavailableException always on this Java 21 class
   */
  public static TunDevice open(TunConfig config) throws TunException {
    Objects.requireNonNull(config, "config");
    int feature = Runtime.version().feature();
    String message = "the Linux TUN backend needs JDK 22 or newer; this JVM is " + feature;
    if (feature >= 22) {
      // A JDK 22+ JVM reaches this class only when vpn-esp is not loaded as a jar (a classes
      // directory has no multi-release view).
      message += ", but it loaded the Java 21 class: put vpn-esp on the class or module path as"
          + " its multi-release jar";
    }
    throw new TunUnavailableException("open(/dev/net/tun)", 0, message);
  }
}
