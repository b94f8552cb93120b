package dev.ferry.vpn.core.crypto;

import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.params.KeyParameter;

/** Any Bouncy Castle lightweight MAC: HMAC, AES-CMAC (RFC 4493), AES-XCBC-MAC (RFC 3566). */
final class BcMacEngine implements MacEngine {
  private final Mac mac;

  BcMacEngine(Mac mac) {
    this.mac = mac;
  }

  @Override
  public int macLength() {
    return mac.getMacSize();
  }

  @Override
  public void init(byte[] key) {
    mac.init(new KeyParameter(key));
  }

  @Override
  public void update(byte[] data, int off, int len) {
    mac.update(data, off, len);
  }

  @Override
  public void doFinal(byte[] out, int off) {
    mac.doFinal(out, off);
  }
}
