package dev.ferry.vpn.ike.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** RFC 7296 section 2.8.2: the lowest of the four nonces marks the redundant SA. */
class RekeyCollisionNonceRuleTest {

  @Test
  void comparesAsUnsignedOctetStrings() {
    byte[] high = {(byte) 0x80, 0};
    byte[] low = {0x7f, (byte) 0xff};
    byte[] higher = {(byte) 0xff, 0};
    assertTrue(IkeRekeyTask.lowestNonceIsInFirst(high, low, higher, high));
    assertFalse(IkeRekeyTask.lowestNonceIsInFirst(high, higher, low, higher));
  }

  @Property
  void theExchangeHoldingTheSmallestNonceIsChosen_andTheRuleIsAntisymmetric(
      @ForAll @Size(min = 16, max = 17) byte[] a, @ForAll @Size(min = 16, max = 17) byte[] b,
      @ForAll @Size(min = 16, max = 17) byte[] c, @ForAll @Size(min = 16, max = 17) byte[] d) {
    List<byte[]> all = List.of(a, b, c, d);
    byte[] smallest = all.stream().min(Arrays::compareUnsigned).orElseThrow();
    Assume.that(all.stream().filter(n -> Arrays.equals(n, smallest)).count() == 1);

    boolean first = IkeRekeyTask.lowestNonceIsInFirst(a, b, c, d);

    assertEquals(smallest == a || smallest == b, first);
    assertEquals(!first, IkeRekeyTask.lowestNonceIsInFirst(c, d, a, b));
  }
}
