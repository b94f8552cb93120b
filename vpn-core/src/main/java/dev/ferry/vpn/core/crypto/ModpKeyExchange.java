package dev.ferry.vpn.core.crypto;

import static dev.ferry.vpn.core.crypto.KeyExchangeException.Reason.OUT_OF_RANGE;
import static dev.ferry.vpn.core.crypto.KeyExchangeException.Reason.WRONG_LENGTH;

import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Finite-field Diffie-Hellman over a {@link ModpGroup} with {@link BigInteger#modPow}, which is what
 * the JDK's own DH KeyAgreement runs as well.
 */
final class ModpKeyExchange implements KeyExchange {
  private static final BigInteger TWO = BigInteger.TWO;
  private final ModpGroup group;
  private final BigInteger exponent;
  private final byte[] publicValue;

  ModpKeyExchange(ModpGroup group, BigInteger exponent) {
    if (exponent.signum() <= 0 || exponent.compareTo(group.prime().subtract(TWO)) > 0) {
      throw new IllegalArgumentException("private exponent out of range for " + group);
    }
    this.group = group;
    this.exponent = exponent;
    this.publicValue = pad(TWO.modPow(exponent, group.prime()), group.octets());
  }

  static ModpKeyExchange generate(ModpGroup group, SecureRandom random) {
    BigInteger x;
    do {
      x = new BigInteger(group.exponentBits(), random);
    } while (x.bitLength() < group.exponentBits() - 8);
    return new ModpKeyExchange(group, x);
  }

  @Override
  public KeyExchangeMethod method() {
    return group.method();
  }

  @Override
  public byte[] publicValue() {
    return publicValue.clone();
  }

  @Override
  public Secret computeSharedSecret(byte[] peerPublicValue) throws KeyExchangeException {
    // RFC 7296 section 3.4: the value is padded to the length of the prime.
    if (peerPublicValue.length != group.octets()) {
      throw new KeyExchangeException(method(), WRONG_LENGTH,
          peerPublicValue.length + " octets, expected " + group.octets());
    }
    BigInteger y = new BigInteger(1, peerPublicValue);
    BigInteger p = group.prime();
    // RFC 6989 section 2.1: 1 < y < p-1. The RFC 3526 primes are safe primes, so this rules out
    // every element of a small subgroup (RFC 6989 section 2.2 needs no further check for them).
    if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0) {
      throw new KeyExchangeException(method(), OUT_OF_RANGE, "y must satisfy 1 < y < p-1");
    }
    byte[] shared = pad(y.modPow(exponent, p), group.octets());
    Secret secret = Secret.of(shared);
    java.util.Arrays.fill(shared, (byte) 0);
    return secret;
  }

  /** Big-endian, left-padded with zeros to {@code length} octets (RFC 7296 section 2.14). */
  static byte[] pad(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return out;
  }

  @Override
  public String toString() {
    return "ModpKeyExchange[" + method() + "]";
  }
}
