package io.meshlake.sink.storage;

import io.meshlake.sink.config.DeltaSinkConfig;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** How to reach S3: endpoint override, region, credentials, addressing style. */
public record S3Settings(String endpoint, String region, String accessKey, String secretKey, boolean pathStyle) {

  public static S3Settings of(DeltaSinkConfig config) {
    return new S3Settings(config.s3Endpoint(), config.s3Region(), config.s3AccessKey(), config.s3SecretKey(), config.s3PathStyle());
  }

  public S3Client client() {
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(region))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
    if (!endpoint.isEmpty()) {
      builder.endpointOverride(URI.create(endpoint));
    }
    if (!accessKey.isEmpty()) {
      builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return builder.build();
  }
}
