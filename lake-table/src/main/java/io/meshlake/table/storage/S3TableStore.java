package io.meshlake.table.storage;

import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Tables in an S3 bucket, through the AWS SDK (no Hadoop S3A). Delta commits are conditional puts
 * ({@code If-None-Match: *}): S3 rejects the second writer of a log version with 412, which Kernel
 * sees as the version being taken and rebases.
 */
public final class S3TableStore implements TableStore {

  private final S3Client s3;
  private final String scheme;
  private final String bucket;
  private final String rootKey;

  private S3TableStore(S3Client s3, String scheme, String bucket, String rootKey) {
    this.s3 = s3;
    this.scheme = scheme;
    this.bucket = bucket;
    this.rootKey = rootKey;
  }

  public static S3TableStore open(URI root, S3Settings settings) {
    String key = root.getPath() == null ? "" : root.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
    return new S3TableStore(settings.client(), root.getScheme(), root.getHost(), key);
  }

  private String uri(String key) {
    return scheme + "://" + bucket + "/" + key;
  }

  /** The object key of a qualified path, or of a path relative to the root. */
  String key(String path) {
    if (path.startsWith("s3://") || path.startsWith("s3a://")) {
      URI uri = URI.create(path);
      if (!bucket.equals(uri.getHost())) {
        throw new IllegalArgumentException(path + " is not in bucket " + bucket);
      }
      return uri.getPath().replaceAll("^/+", "");
    }
    return rootKey.isEmpty() ? path : rootKey + "/" + path;
  }

  @Override
  public String qualify(String relativeOrAbsolute) {
    return uri(key(relativeOrAbsolute));
  }

  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    String key = key(filePath);
    int slash = key.lastIndexOf('/');
    String dir = slash < 0 ? "" : key.substring(0, slash + 1);
    String name = key.substring(slash + 1);
    List<FileStatus> statuses = new ArrayList<>();
    try {
      ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).prefix(dir).delimiter("/");
      if (!name.isEmpty()) {
        // S3's startAfter is exclusive: start just before the name, filter exactly below.
        request.startAfter(dir + predecessor(name));
      }
      for (var page : s3.listObjectsV2Paginator(request.build())) {
        for (S3Object o : page.contents()) {
          if (o.key().substring(dir.length()).compareTo(name) >= 0) {
            statuses.add(FileStatus.of(uri(o.key()), o.size(), o.lastModified().toEpochMilli()));
          }
        }
      }
    } catch (SdkException e) {
      throw new IOException("could not list " + uri(dir) + ": " + e.getMessage(), e);
    }
    if (statuses.isEmpty() && !exists(dir)) {
      throw new FileNotFoundException("no such directory: " + uri(dir));
    }
    return iterator(statuses);
  }

  private boolean exists(String dirKey) {
    return s3.listObjectsV2(b -> b.bucket(bucket).prefix(dirKey).maxKeys(1)).keyCount() > 0;
  }

  static String predecessor(String name) {
    char last = name.charAt(name.length() - 1);
    // Every key >= name sorts after this one; keys in between are filtered out by the caller. (No
    // high sentinel character: S3 echoes startAfter back in XML, where U+FFFF is not allowed.)
    return name.substring(0, name.length() - 1) + (char) (last - 1);
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    String key = key(path);
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
      return FileStatus.of(uri(key), head.contentLength(), head.lastModified().toEpochMilli());
    } catch (NoSuchKeyException e) {
      throw new FileNotFoundException(uri(key));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new FileNotFoundException(uri(key));
      }
      throw new IOException("could not stat " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String resolvePath(String path) {
    return qualify(path);
  }

  @Override
  public boolean mkdirs(String path) {
    return true; // S3 has no directories
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    String key = key(path);
    return new InputFile() {
      @Override
      public long length() throws IOException {
        return fileSize >= 0 ? fileSize : getFileStatus(path).getSize();
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        return new BytesInputStream(get(key));
      }
    };
  }

  private byte[] get(String key) throws IOException {
    try {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (NoSuchKeyException e) {
      throw new FileNotFoundException(uri(key));
    } catch (SdkException e) {
      throw new IOException("could not read " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  private void put(String key, byte[] bytes, boolean ifAbsent) throws IOException {
    PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key);
    if (ifAbsent) {
      request.ifNoneMatch("*");
    }
    try {
      s3.putObject(request.build(), RequestBody.fromBytes(bytes));
    } catch (S3Exception e) {
      if (ifAbsent && (e.statusCode() == 412 || e.statusCode() == 409)) {
        throw new FileAlreadyExistsException(uri(key));
      }
      throw new IOException("could not write " + uri(key) + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("could not write " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public OutputFile newOutputFile(String path) {
    String key = key(path);
    return new OutputFile() {
      @Override
      public String path() {
        return path;
      }

      @Override
      public PositionOutputStream create(boolean putIfAbsent) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return new PositionOutputStream() {
          @Override
          public void write(int b) {
            buffer.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
          }

          @Override
          public long getPos() {
            return buffer.size();
          }

          @Override
          public void close() throws IOException {
            put(key, buffer.toByteArray(), putIfAbsent);
          }
        };
      }

      @Override
      public void writeAtomically(CloseableIterator<String> data, boolean overwrite) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
          while (data.hasNext()) {
            buffer.write((data.next() + "\n").getBytes(StandardCharsets.UTF_8));
          }
        } finally {
          data.close();
        }
        put(key, buffer.toByteArray(), !overwrite);
      }
    };
  }

  @Override
  public boolean delete(String path) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key(path)));
      return true;
    } catch (SdkException e) {
      throw new IOException("could not delete " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> getConf(String confKey) {
    return Optional.empty();
  }

  @Override
  public void copyFileAtomically(String srcPath, String destPath, boolean overwrite) throws IOException {
    put(key(destPath), get(key(srcPath)), !overwrite);
  }

  @Override
  public void writeBytes(String path, byte[] bytes) throws IOException {
    put(key(path), bytes, false);
  }

  @Override
  public OutputStream create(String path) throws IOException {
    return newOutputFile(path).create(false);
  }

  @Override
  public byte[] readBytes(String path) throws IOException {
    return get(key(path));
  }

  @Override
  public org.apache.parquet.io.InputFile parquetInput(String path) throws IOException {
    byte[] bytes = get(key(path));
    return new org.apache.parquet.io.InputFile() {
      @Override
      public long getLength() {
        return bytes.length;
      }

      @Override
      public org.apache.parquet.io.SeekableInputStream newStream() {
        return new org.apache.parquet.io.DelegatingSeekableInputStream(new BytesInputStream(bytes)) {
          @Override
          public long getPos() throws IOException {
            return ((BytesInputStream) getStream()).getPos();
          }

          @Override
          public void seek(long newPos) throws IOException {
            ((BytesInputStream) getStream()).seek(newPos);
          }
        };
      }
    };
  }

  private static CloseableIterator<FileStatus> iterator(List<FileStatus> list) {
    var it = list.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public FileStatus next() {
        if (!it.hasNext()) {
          throw new NoSuchElementException();
        }
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  /** A seekable stream over bytes already fetched. */
  static final class BytesInputStream extends SeekableInputStream {
    private final byte[] bytes;
    private int pos;

    BytesInputStream(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) {
        return -1;
      }
      int n = Math.min(len, bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0 || newPos > bytes.length) {
        throw new EOFException("seek to " + newPos + " outside 0.." + bytes.length);
      }
      pos = (int) newPos;
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
      if (len > bytes.length - pos) {
        throw new EOFException("want " + len + " bytes at " + pos + ", have " + (bytes.length - pos));
      }
      System.arraycopy(bytes, pos, b, off, len);
      pos += len;
    }
  }
}
