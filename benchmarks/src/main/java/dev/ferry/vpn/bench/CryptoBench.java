package dev.ferry.vpn.bench;

import dev.ferry.vpn.core.crypto.Aead;
import dev.ferry.vpn.core.crypto.Backend;
import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.crypto.Integrity;
import dev.ferry.vpn.core.crypto.KeyExchange;
import dev.ferry.vpn.core.crypto.KeyExchangeException;
import dev.ferry.vpn.core.crypto.Prf;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.IntegrityAlgorithm;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import dev.ferry.vpn.core.proposal.PrfAlgorithm;
import dev.ferry.vpn.core.proposal.Transform;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Microseconds per operation for each primitive on each backend; {@code CryptoProvider.Choices}
 * picks the faster library from these numbers. Packet-sized operations use 1400 octets (a full
 * ESP payload on a 1500-octet path); key agreements are one shared-secret computation against a
 * fixed peer value; prf+ derives the SK_* block of an aes128gcm16-prfsha256 IKE SA (3 x 32 + 2 x
 * 20 octets).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CryptoBench -f 1 -wi 2 -w 1s -i 3 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CryptoBench {
  private static final int PACKET = 1400;

  @Param({"JCE", "BOUNCY_CASTLE"})
  public Backend backend;

  private Aead gcm;
  private Aead chacha;
  private Integrity hmac;
  private Prf prf;
  private KeyExchange x25519;
  private byte[] x25519Peer;
  private CryptoProvider provider;
  private KeyExchange ecp256;
  private byte[] ecp256Peer;
  private final byte[] buf = new byte[PACKET + 16];
  private final byte[] nonce = new byte[12];
  private final byte[] aad = new byte[8];
  private final byte[] icv = new byte[16];
  private final byte[] prfKey = new byte[32];
  private final byte[] seed = new byte[80];
  private long counter;

  @Setup
  public void setUp() {
    SecureRandom random = new SecureRandom();
    provider = new CryptoProvider(random, CryptoProvider.Choices.all(backend));
    byte[] key16 = new byte[16];
    byte[] key32 = new byte[32];
    random.nextBytes(key16);
    random.nextBytes(key32);
    gcm = provider.aead(Transform.of(EncryptionAlgorithm.AES_GCM_16, 128), Secret.of(key16));
    chacha = provider.aead(Transform.of(EncryptionAlgorithm.CHACHA20_POLY1305), Secret.of(key32));
    hmac = provider.integrity(Transform.of(IntegrityAlgorithm.HMAC_SHA2_256_128), Secret.of(key32));
    prf = provider.prf(Transform.of(PrfAlgorithm.HMAC_SHA2_256));
    x25519 = provider.keyExchange(Transform.of(KeyExchangeMethod.CURVE_25519));
    x25519Peer = provider.keyExchange(Transform.of(KeyExchangeMethod.CURVE_25519)).publicValue();
    ecp256 = provider.keyExchange(Transform.of(KeyExchangeMethod.ECP_256));
    ecp256Peer = provider.keyExchange(Transform.of(KeyExchangeMethod.ECP_256)).publicValue();
    random.nextBytes(buf);
    random.nextBytes(prfKey);
    random.nextBytes(seed);
  }

  /** A fresh nonce per seal: both libraries refuse to reuse one under the same key. */
  private byte[] nextNonce() {
    long n = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[11 - i] = (byte) (n >>> (8 * i));
    }
    return nonce;
  }

  @Benchmark
  public int aesGcm128Seal1400() {
    return gcm.seal(nextNonce(), aad, buf, 0, PACKET);
  }

  @Benchmark
  public int chaCha20Poly1305Seal1400() {
    return chacha.seal(nextNonce(), aad, buf, 0, PACKET);
  }

  @Benchmark
  public byte[] hmacSha256_128Over1400() {
    hmac.update(buf, 0, PACKET);
    hmac.sign(icv, 0);
    return icv;
  }

  @Benchmark
  public byte[] prfPlusIkeKeys() {
    return prf.plus(prfKey, seed, 3 * 32 + 2 * 20);
  }

  @Benchmark
  public Secret x25519Agreement() throws KeyExchangeException {
    return x25519.computeSharedSecret(x25519Peer);
  }

  /** The other half of a handshake's ECDH cost: a fresh P-256 key pair and its KE value. */
  @Benchmark
  public byte[] ecp256KeyGeneration() {
    return provider.keyExchange(Transform.of(KeyExchangeMethod.ECP_256)).publicValue();
  }

  @Benchmark
  public Secret ecp256Agreement() throws KeyExchangeException {
    return ecp256.computeSharedSecret(ecp256Peer);
  }
}
