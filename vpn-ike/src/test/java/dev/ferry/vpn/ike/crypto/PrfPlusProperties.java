package dev.ferry.vpn.ike.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Prf;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Transform;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** prf+ (RFC 7296 section 2.13): exact lengths, shorter runs are prefixes, the 255-block limit. */
class PrfPlusProperties {
  private static final CryptoProvider PROVIDER = new CryptoProvider(new SecureRandom());

  @Property(tries = 200)
  void shorterOutputIsAPrefixOfLongerAndSplittingDoesNotChangeIt(@ForAll PrfAlgorithm algorithm,
      @ForAll @Size(min = 1, max = 64) byte[] key, @ForAll @Size(max = 80) byte[] seed,
      @ForAll @IntRange(max = 600) int shortLength, @ForAll @IntRange(max = 600) int extra) {
    net.jqwik.api.Assume.that(algorithm.support() != dev.ferry.vpn.core.proposal.Support.REFUSED);
    Prf prf = PROVIDER.prf(Transform.of(algorithm));
    byte[] longer = PrfPlus.of(prf, Secret.of(key), seed, shortLength + extra)
        .next(shortLength + extra).reveal();
    assertEquals(shortLength + extra, longer.length);
    PrfPlus split = PrfPlus.of(prf, Secret.of(key), seed, shortLength + extra);
    assertArrayEquals(Arrays.copyOf(longer, shortLength), split.next(shortLength).reveal());
    assertArrayEquals(Arrays.copyOfRange(longer, shortLength, longer.length), split.next(extra).reveal());
    assertEquals(0, split.remaining());
    assertArrayEquals(Arrays.copyOf(longer, shortLength),
        PrfPlus.of(prf, Secret.of(key), seed, shortLength).next(shortLength).reveal());
  }

  @Test
  void at255BlocksTheCounterStops() {
    Prf prf = PROVIDER.prf(Transform.of(PrfAlgorithm.HMAC_SHA2_256));
    assertEquals(255 * 32, PrfPlus.of(prf, Secret.of(new byte[32]), new byte[8], 255 * 32).remaining());
    assertThrows(IllegalArgumentException.class,
        () -> PrfPlus.of(prf, Secret.of(new byte[32]), new byte[8], 255 * 32 + 1));
  }
}
