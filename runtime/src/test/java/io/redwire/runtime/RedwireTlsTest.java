package io.redwire.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redwire.testing.RedisServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} against a redis-server with TLS, using a throw-away self-signed certificate.
 * Skipped when openssl is missing or redis-server was built without TLS. Installs the JVM's
 * default SSLContext (trusting only that certificate), so no other test may rely on it.
 */
class RedwireTlsTest {

  @TempDir Path dir;

  @Test
  void connectsOverTlsWithPasswordAndDatabase() throws Exception {
    Path key = dir.resolve("key.pem");
    Path cert = dir.resolve("cert.pem");
    Process openssl;
    try {
      openssl =
          new ProcessBuilder(
                  "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                  "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                  "-subj", "/CN=127.0.0.1",
                  "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("openssl.log").toFile())
              .start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "openssl is not installed");
      return;
    }
    assumeTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl failed");

    int tlsPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      tlsPort = s.getLocalPort();
    }
    RedisServer server;
    try {
      server =
          RedisServer.start(
              "--tls-port", String.valueOf(tlsPort),
              "--tls-cert-file", cert.toString(),
              "--tls-key-file", key.toString(),
              "--tls-ca-cert-file", cert.toString(),
              "--tls-auth-clients", "no",
              "--requirepass", "secret");
    } catch (IllegalStateException e) {
      assumeTrue(false, "redis-server without TLS support: " + e.getMessage());
      return;
    }
    try (server) {
      SSLContext.setDefault(trusting(cert));
      try (Redwire redwire =
          Redwire.connect("rediss://:secret@127.0.0.1:" + tlsPort + "/2")) {
        assertEquals("PONG", redwire.client().ping());
        redwire.client().set("tls", "yes");
        assertEquals("yes", redwire.client().get("tls"));
      }
      String keyspace = server.command("INFO", "keyspace");
      assertTrue(keyspace.contains("db2:keys=1"), keyspace);
    }
  }

  private static SSLContext trusting(Path certFile) throws Exception {
    Certificate certificate;
    try (InputStream in = Files.newInputStream(certFile)) {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("redis", certificate);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
