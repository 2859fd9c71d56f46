package io.meshlake.testkit;

import com.adobe.testing.s3mock.S3MockApplication;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * An S3-compatible HTTP endpoint in this JVM (s3mock: honours conditional puts and versioning),
 * on a free port, storing objects under the given directory.
 */
public final class S3TestServer implements AutoCloseable {

  public static final String ACCESS_KEY = "meshlake-test";
  public static final String SECRET_KEY = "meshlake-test-secret";
  public static final String REGION = "us-east-1";

  private final S3MockApplication app;
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3TestServer(S3MockApplication app) {
    this.app = app;
  }

  /** Starts a server with the given buckets already created. */
  public static S3TestServer start(Path root, String... buckets) {
    // S3MockApplication.start mutates the map it is given.
    Map<String, Object> props = new HashMap<>();
    props.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
    props.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
    props.put(S3MockApplication.PROP_ROOT_DIRECTORY, root.toAbsolutePath().toString());
    props.put(S3MockApplication.PROP_SILENT, true);
    props.put(S3MockApplication.PROP_INITIAL_BUCKETS, String.join(",", buckets));
    props.put("spring.main.banner-mode", "off");
    return new S3TestServer(S3MockApplication.start(props));
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + app.getHttpPort());
  }

  /** A client for this server: path-style addressing, static test credentials. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      app.stop();
    }
  }
}
