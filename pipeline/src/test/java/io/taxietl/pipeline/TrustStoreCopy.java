package io.taxietl.pipeline;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A copy of a server's PKCS#12 trust store under a random password of its own: the scripts give
 * every trust store the well-known password {@code changeit}, which a secret scan cannot tell from
 * an innocent word; a random one it can.
 */
record TrustStoreCopy(Path path, String password) {
  static TrustStoreCopy of(Path trustStore, String password, Path dir) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(trustStore)) {
      store.load(in, password.toCharArray());
    }
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    String copyPassword = HexFormat.of().formatHex(random);
    Path copy = dir.resolve("truststore-copy.p12");
    try (OutputStream out = Files.newOutputStream(copy)) {
      store.store(out, copyPassword.toCharArray());
    }
    return new TrustStoreCopy(copy, copyPassword);
  }
}
