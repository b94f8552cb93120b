package dev.ferry.vpn.core.crypto;

import java.util.List;

/**
 * The backends every JVM has. Unit tests run on the classes directory, whose OpenSSL class is the
 * Java 21 one (never available); the OpenSSL backend is tested against the multi-release jar by
 * {@code OpenSslEcdhIT} and vpn-esp's {@code OpenSslAeadIT}.
 */
final class JavaBackends {
  static final List<Backend> ALL = List.of(Backend.JCE, Backend.BOUNCY_CASTLE);

  private JavaBackends() {}
}
