package dev.ferry.vpn.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Support;
import dev.ferry.vpn.core.proposal.Transform;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link MacPrf#plus} keys the MAC once for all blocks; it must still produce exactly RFC 7296
 * section 2.13's {@code T1 = prf(K, S | 0x01)}, {@code Tn = prf(K, Tn-1 | S | n)}, written out here
 * with one {@link Prf#compute} (a fresh keying) per block, on both libraries and for keys that the
 * AES-based PRFs pad or reduce (RFC 4434 section 2, RFC 4615 section 3).
 */
class MacPrfProperties {

  @Property(tries = 300)
  void prfPlusIsTheBlockwiseDefinition(@ForAll PrfAlgorithm algorithm, @ForAll(supplier = JavaBackends.Supplier.class) Backend backend,
      @ForAll @Size(max = 70) byte[] key, @ForAll @Size(max = 80) byte[] seed,
      @ForAll @IntRange(max = 300) int length) {
    Assume.that(algorithm.support() != Support.REFUSED);
    Prf prf = new CryptoProvider(new SecureRandom(), CryptoProvider.Choices.all(backend))
        .prf(Transform.of(algorithm));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    byte[] previous = new byte[0];
    for (int n = 1; expected.size() < length; n++) {
      previous = prf.compute(key, previous, seed, new byte[] {(byte) n});
      expected.writeBytes(previous);
    }
    assertArrayEquals(Arrays.copyOf(expected.toByteArray(), length), prf.plus(key, seed, length));
  }
}
