/**
 * Cryptographic values and primitives shared by the control plane (IKE) and the data plane (ESP):
 * {@link dev.ferry.vpn.core.crypto.Secret} key material that never prints itself, and the
 * algorithms behind small interfaces ({@link dev.ferry.vpn.core.crypto.Aead}, {@link
 * dev.ferry.vpn.core.crypto.Encryptor}, {@link dev.ferry.vpn.core.crypto.Integrity}, {@link
 * dev.ferry.vpn.core.crypto.Prf}, {@link dev.ferry.vpn.core.crypto.KeyExchange}), all made by
 * {@link dev.ferry.vpn.core.crypto.CryptoProvider} from negotiated transforms. Only that class
 * names JCA algorithms or Bouncy Castle engines and decides which library runs what. Covers RFC
 * 4106/5282 (AES-GCM), RFC 7634 (ChaCha20-Poly1305), RFC 3602 (AES-CBC), RFC 2404/4868 (HMAC),
 * RFC 3566/4434 (AES-XCBC), RFC 4493/4494/4615 (AES-CMAC), RFC 3526 (MODP), RFC 5903 (ECP), RFC
 * 7748/8031 (Curve25519/448) and the peer-value checks of RFC 6989.
 */
package dev.ferry.vpn.core.crypto;
