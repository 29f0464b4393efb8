package io.taxietl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API server (Adobe S3Mock 5.2.0), started by {@code scripts/s3.sh} on 127.0.0.1 and a
 * free port with its objects in a temporary folder, stopped with its process group. Clients reach
 * it with {@link #endpoint()} and path-style access; the helpers' own client uses placeholder
 * credentials (S3Mock checks none).
 */
public final class LocalS3 extends ScriptedServer {
  private S3Client shared;

  public LocalS3() {
    super("s3.sh");
  }

  /** The endpoint URL: {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** A new path-style client for this server; the caller closes it. */
  public S3Client client() {
    return S3Client.builder()
        .httpClientBuilder(ApacheHttpClient.builder())
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }

  /** Creates a bucket through {@code scripts/s3.sh create-bucket}. */
  public void createBucket(String name) {
    runScript(
        List.of(
            "create-bucket",
            name,
            "--dir",
            dataDir().toString(),
            "--port",
            Integer.toString(port())));
  }

  /** The keys below {@code prefix} in {@code bucket}, in key order. */
  public List<String> keys(String bucket, String prefix) {
    try (S3Client client = client()) {
      return list(client, bucket, prefix).stream().map(S3Object::key).toList();
    }
  }

  /**
   * Downloads every object below {@code prefix} into {@code target}, keeping the key's path below
   * the prefix; returns the files written. Replaces what an earlier download put there.
   */
  public List<Path> download(String bucket, String prefix, Path target) {
    try (S3Client client = client()) {
      List<Path> files = new ArrayList<>();
      for (S3Object object : list(client, bucket, prefix)) {
        String relative = object.key().substring(prefix.length()).replaceFirst("^/+", "");
        if (relative.isEmpty() || relative.endsWith("/")) {
          continue;
        }
        Path file = target.resolve(relative).normalize();
        if (!file.startsWith(target)) {
          throw new IllegalStateException("key " + object.key() + " points outside " + target);
        }
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        client.getObject(b -> b.bucket(bucket).key(object.key()), file);
        files.add(file);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Downloads one object to {@code file}, replacing it; creates the folders above it. */
  public void downloadObject(String bucket, String key, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
      sharedClient().getObject(b -> b.bucket(bucket).key(key), file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The keys below {@code prefix} in {@code bucket}, in key order, listed with the shared client.
   */
  public List<String> listKeys(String bucket, String prefix) {
    return list(sharedClient(), bucket, prefix).stream().map(S3Object::key).toList();
  }

  private synchronized S3Client sharedClient() {
    if (shared == null) {
      shared = client();
    }
    return shared;
  }

  /** Closes the shared client, stops the server and deletes its data folder. */
  @Override
  public void close() {
    synchronized (this) {
      if (shared != null) {
        shared.close();
        shared = null;
      }
    }
    super.close();
  }

  private static List<S3Object> list(S3Client client, String bucket, String prefix) {
    List<S3Object> objects = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Request.Builder request =
          ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
      if (token != null) {
        request.continuationToken(token);
      }
      ListObjectsV2Response response = client.listObjectsV2(request.build());
      objects.addAll(response.contents());
      token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
    } while (token != null);
    return objects;
  }
}
