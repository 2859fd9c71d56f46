package io.meshlake.bus;

import java.net.URI;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** Offloaded payloads in one S3 bucket, as {@code s3://<bucket>/<key>}. */
public final class S3PayloadStore implements PayloadStore {

  private final S3Client s3;
  private final String bucket;

  public S3PayloadStore(S3Client s3, String bucket) {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("the offload bucket is not set");
    }
    this.s3 = s3;
    this.bucket = bucket;
  }

  @Override
  public URI put(String key, byte[] bytes) {
    s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentLength((long) bytes.length).build(),
        RequestBody.fromBytes(bytes));
    return URI.create("s3://" + bucket + "/" + key);
  }

  @Override
  public byte[] get(URI uri) {
    if (!serves(uri)) {
      throw new PayloadResolutionException("offload pointer " + uri + " is not in bucket " + bucket);
    }
    String key = uri.getPath().substring(1);
    try {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (NoSuchKeyException e) {
      throw new PayloadResolutionException("offload pointer " + uri + ": object does not exist", e);
    } catch (SdkException e) {
      throw new PayloadResolutionException("offload pointer " + uri + ": could not be read: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean serves(URI uri) {
    return "s3".equals(uri.getScheme()) && bucket.equals(uri.getHost());
  }
}
