package dev.ferry.vpn.core.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-XCBC-MAC (RFC 3566 section 4) with a 128-bit key and full 128-bit output; Bouncy Castle has
 * CMAC but not XCBC, so this builds it on BC's AES block function. Truncation to 96 bits and the
 * RFC 4434 key handling for the PRF live in the callers.
 */
final class AesXcbcMac implements Mac {
  private static final int BLOCK = 16;
  private final BlockCipher k1Cipher = AESEngine.newInstance();
  private final byte[] k2 = new byte[BLOCK];
  private final byte[] k3 = new byte[BLOCK];
  private final byte[] state = new byte[BLOCK];
  private final byte[] pending = new byte[BLOCK];
  private int pendingLength;

  @Override
  public void init(CipherParameters params) {
    byte[] key = ((KeyParameter) params).getKey();
    if (key.length != BLOCK) {
      throw new IllegalArgumentException("AES-XCBC-MAC takes a 16-octet key, not " + key.length);
    }
    // RFC 3566 section 4 step 1: K1, K2, K3 = E(K, 0x01..), E(K, 0x02..), E(K, 0x03..).
    BlockCipher derive = AESEngine.newInstance();
    derive.init(true, new KeyParameter(key));
    byte[] k1 = new byte[BLOCK];
    derive.processBlock(constant(1), 0, k1, 0);
    derive.processBlock(constant(2), 0, k2, 0);
    derive.processBlock(constant(3), 0, k3, 0);
    k1Cipher.init(true, new KeyParameter(k1));
    Arrays.fill(k1, (byte) 0);
    reset();
  }

  private static byte[] constant(int value) {
    byte[] block = new byte[BLOCK];
    Arrays.fill(block, (byte) value);
    return block;
  }

  @Override
  public String getAlgorithmName() {
    return "AES-XCBC-MAC";
  }

  @Override
  public int getMacSize() {
    return BLOCK;
  }

  @Override
  public void update(byte in) {
    update(new byte[] {in}, 0, 1);
  }

  @Override
  public void update(byte[] in, int inOff, int len) {
    // The last block is processed differently (step 3), so a full block is held back until more
    // data shows it is not the last one.
    for (int i = 0; i < len; i++) {
      if (pendingLength == BLOCK) {
        absorb(pending);
        pendingLength = 0;
      }
      pending[pendingLength++] = in[inOff + i];
    }
  }

  private void absorb(byte[] block) {
    for (int i = 0; i < BLOCK; i++) {
      state[i] ^= block[i];
    }
    k1Cipher.processBlock(state, 0, state, 0);
  }

  @Override
  public int doFinal(byte[] out, int outOff) {
    byte[] last = new byte[BLOCK];
    System.arraycopy(pending, 0, last, 0, pendingLength);
    byte[] mask;
    if (pendingLength == BLOCK) {
      mask = k2; // RFC 3566 step 3a: complete last block, XOR K2.
    } else {
      last[pendingLength] = (byte) 0x80; // step 3b: pad with 10*, XOR K3.
      mask = k3;
    }
    for (int i = 0; i < BLOCK; i++) {
      last[i] ^= mask[i];
    }
    absorb(last);
    System.arraycopy(state, 0, out, outOff, BLOCK);
    reset();
    return BLOCK;
  }

  @Override
  public void reset() {
    Arrays.fill(state, (byte) 0);
    Arrays.fill(pending, (byte) 0);
    pendingLength = 0;
  }
}
