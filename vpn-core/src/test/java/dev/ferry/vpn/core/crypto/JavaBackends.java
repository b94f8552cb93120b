package dev.ferry.vpn.core.crypto;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;

/**
 * The backends every JVM has. Unit tests run on the classes directory, whose OpenSSL class is the
 * Java 21 one (never available); the OpenSSL backend is tested against the multi-release jar by
 * {@code OpenSslEcdhIT} and vpn-esp's {@code OpenSslAeadIT}.
 */
final class JavaBackends {
  static final List<Backend> ALL = List.of(Backend.JCE, Backend.BOUNCY_CASTLE);

  private JavaBackends() {}

  /** For jqwik properties: {@code @ForAll(supplier = JavaBackends.Supplier.class) Backend b}. */
  static final class Supplier implements ArbitrarySupplier<Backend> {
    @Override
    public Arbitrary<Backend> get() {
      return Arbitraries.of(ALL);
    }
  }
}
