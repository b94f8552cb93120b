package dev.ferry.vpn.bench;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.WNafL2RMultiplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The ways to run P-256 ECDH (IKE group 19) that the libraries we ship offer, side by side, so
 * {@code CryptoProvider.Choices} can keep the fastest correct one: key generation (one fresh
 * private scalar and its public point) and agreement (our private scalar times the peer's point,
 * which includes building the peer point from x and y and the library's own validation of it).
 *
 * <ul>
 *   <li>{@code bc*}: Bouncy Castle on {@code CustomNamedCurves} (specialised P-256 field
 *       arithmetic); {@code bcGeneric*} the same on {@code ECNamedCurveTable}'s generic curve, to
 *       show what the specialised field buys;
 *   <li>{@code bcAgreement}: {@code ECDHBasicAgreement}, a constant-time fixed-window multiplier
 *       over the secret scalar; {@code bcWnafAgreement} is the variable-time wNAF multiplier, a
 *       reference only: its timing depends on the secret scalar, so Ferry does not use it;
 *   <li>{@code jce*}: SunEC with the generator, factory and agreement objects kept (no provider
 *       look-up per operation); its agreement validates the peer point with a multiplication by
 *       the group order, which RFC 6989 section 2.3 does not need for a cofactor-1 curve;
 *   <li>{@code ferry*}: what IKE runs, through {@code CryptoProvider} with its measured choice
 *       (OpenSSL's {@code EC_POINT_mul} when libcrypto is bound on JDK 22+, else Bouncy Castle):
 *       key generation draws the scalar from the provider's randomness, agreement includes our
 *       RFC 6989 checks of the peer's point.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EcdhP256Bench -f 1 -wi 2 -w 1s -i 3 -r 1s
 * java -cp benchmarks/target/benchmarks.jar dev.ferry.vpn.bench.EcdhP256Bench
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EcdhP256Bench {
  private final SecureRandom random = new SecureRandom();
  private ECDomainParameters custom;
  private ECDomainParameters generic;
  private BigInteger privateScalar;
  private BigInteger peerX;
  private BigInteger peerY;
  private KeyPairGenerator jceGenerator;
  private KeyFactory jceFactory;
  private KeyAgreement jceAgreement;
  private ECParameterSpec jceCurve;
  private final dev.ferry.vpn.core.crypto.CryptoProvider ferry =
      new dev.ferry.vpn.core.crypto.CryptoProvider(random);
  private final dev.ferry.vpn.core.proposal.Transform group19 =
      dev.ferry.vpn.core.proposal.Transform.of(dev.ferry.vpn.core.proposal.KeyExchangeMethod.ECP_256);
  private dev.ferry.vpn.core.crypto.KeyExchange ferryExchange;
  private byte[] ferryPeer;

  @Setup
  public void setUp() throws GeneralSecurityException {
    custom = new ECDomainParameters(CustomNamedCurves.getByName("secp256r1"));
    generic = new ECDomainParameters(ECNamedCurveTable.getByName("secp256r1"));
    privateScalar = scalar(custom.getN());
    ECPoint peer = new FixedPointCombMultiplier()
        .multiply(custom.getG(), scalar(custom.getN())).normalize();
    peerX = peer.getAffineXCoord().toBigInteger();
    peerY = peer.getAffineYCoord().toBigInteger();
    jceGenerator = KeyPairGenerator.getInstance("EC");
    jceGenerator.initialize(new ECGenParameterSpec("secp256r1"), random);
    jceFactory = KeyFactory.getInstance("EC");
    jceAgreement = KeyAgreement.getInstance("ECDH");
    jceCurve = ((ECPublicKey) jceGenerator.generateKeyPair().getPublic()).getParams();
    ferryExchange = ferry.keyExchange(group19);
    ferryPeer = ferry.keyExchange(group19).publicValue();
  }

  private BigInteger scalar(BigInteger n) {
    BigInteger d;
    do {
      d = new BigInteger(n.bitLength(), random);
    } while (d.signum() == 0 || d.compareTo(n) >= 0);
    return d;
  }

  private ECPoint combKeyGeneration(ECDomainParameters domain) {
    return new FixedPointCombMultiplier().multiply(domain.getG(), scalar(domain.getN())).normalize();
  }

  private BigInteger basicAgreement(ECDomainParameters domain) {
    ECDHBasicAgreement agreement = new ECDHBasicAgreement();
    agreement.init(new ECPrivateKeyParameters(privateScalar, domain));
    return agreement.calculateAgreement(
        new ECPublicKeyParameters(domain.getCurve().createPoint(peerX, peerY), domain));
  }

  @Benchmark
  public ECPoint bcKeyGeneration() {
    return combKeyGeneration(custom);
  }

  @Benchmark
  public ECPoint bcGenericKeyGeneration() {
    return combKeyGeneration(generic);
  }

  @Benchmark
  public KeyPair jceKeyGeneration() {
    return jceGenerator.generateKeyPair();
  }

  @Benchmark
  public BigInteger bcAgreement() {
    return basicAgreement(custom);
  }

  @Benchmark
  public BigInteger bcGenericAgreement() {
    return basicAgreement(generic);
  }

  @Benchmark
  public ECPoint bcWnafAgreement() {
    ECPoint peer = custom.validatePublicPoint(custom.getCurve().createPoint(peerX, peerY));
    return new WNafL2RMultiplier().multiply(peer, privateScalar).normalize();
  }

  @Benchmark
  public byte[] jceAgreement() throws GeneralSecurityException {
    PrivateKey own = jceFactory.generatePrivate(new ECPrivateKeySpec(privateScalar, jceCurve));
    PublicKey peer = jceFactory.generatePublic(
        new ECPublicKeySpec(new java.security.spec.ECPoint(peerX, peerY), jceCurve));
    jceAgreement.init(own);
    jceAgreement.doPhase(peer, true);
    return jceAgreement.generateSecret();
  }

  @Benchmark
  public dev.ferry.vpn.core.crypto.KeyExchange ferryKeyGeneration() {
    return ferry.keyExchange(group19);
  }

  @Benchmark
  public dev.ferry.vpn.core.crypto.Secret ferryAgreement()
      throws dev.ferry.vpn.core.crypto.KeyExchangeException {
    return ferryExchange.computeSharedSecret(ferryPeer);
  }

  /**
   * Thread CPU time per operation (best and median of seven rounds of 400 after a warm-up): on a
   * machine shared with other jobs JMH's wall clock also counts the time this thread waits.
   */
  public static void main(String[] args) throws Exception {
    EcdhP256Bench bench = new EcdhP256Bench();
    bench.setUp();
    java.util.Map<String, java.util.concurrent.Callable<Object>> options =
        new java.util.LinkedHashMap<>();
    options.put("bcKeyGeneration", bench::bcKeyGeneration);
    options.put("bcGenericKeyGeneration", bench::bcGenericKeyGeneration);
    options.put("jceKeyGeneration", bench::jceKeyGeneration);
    options.put("bcAgreement", bench::bcAgreement);
    options.put("bcGenericAgreement", bench::bcGenericAgreement);
    options.put("bcWnafAgreement", bench::bcWnafAgreement);
    options.put("jceAgreement", bench::jceAgreement);
    options.put("ferryKeyGeneration (" + bench.ferry.choices().ecp() + ")",
        bench::ferryKeyGeneration);
    options.put("ferryAgreement (" + bench.ferry.choices().ecp() + ")", bench::ferryAgreement);
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (var option : options.entrySet()) {
      for (int i = 0; i < 2000; i++) {
        option.getValue().call();
      }
      double[] micros = new double[7];
      for (int round = 0; round < micros.length; round++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 400; i++) {
          option.getValue().call();
        }
        micros[round] = (threads.getCurrentThreadCpuTime() - start) / 1e3 / 400;
      }
      java.util.Arrays.sort(micros);
      System.out.printf("%-36s thread CPU per operation: min %6.1f us, median %6.1f us%n",
          option.getKey(), micros[0], micros[3]);
    }
  }
}
