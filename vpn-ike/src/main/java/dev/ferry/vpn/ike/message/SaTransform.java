package dev.ferry.vpn.ike.message;

import java.util.List;

/**
 * One Transform substructure (RFC 7296 section 3.3.2) as raw numbers, so unknown Transform IDs and
 * attributes round-trip; {@link SaProposal#toProposal} maps known ones onto {@code
 * dev.ferry.vpn.core.proposal}.
 */
public record SaTransform(int transformType, int transformId, List<SaAttribute> attributes) {
  public SaTransform {
    Checks.range("transform type", transformType, 0xff);
    Checks.range("transform ID", transformId, 0xffff);
    attributes = List.copyOf(attributes);
  }

  /** A transform without attributes. */
  public static SaTransform of(int transformType, int transformId) {
    return new SaTransform(transformType, transformId, List.of());
  }

  /** The Key Length attribute's value in bits, or 0 when absent. */
  public int keyLength() {
    for (SaAttribute a : attributes) {
      if (a.attributeType() == SaAttribute.KEY_LENGTH && a.tvFormat()) {
        return a.shortValue();
      }
    }
    return 0;
  }
}
