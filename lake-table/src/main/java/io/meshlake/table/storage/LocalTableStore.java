package io.meshlake.table.storage;

import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * Tables in a local directory. Put-if-absent (Delta commits) is a hard link of a fully written
 * temporary file: {@code link(2)} fails when the target exists, atomically, so two processes
 * committing the same version cannot both win — unlike a rename, which silently replaces.
 */
public final class LocalTableStore implements TableStore {

  private final Path root;

  public LocalTableStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public static Path toPath(String path) {
    if (path.startsWith("file:")) {
      return Path.of(URI.create(path.startsWith("file://") ? path : "file://" + path.substring("file:".length())));
    }
    return Path.of(path);
  }

  public static String toUri(Path path) {
    // Kernel and Spark both accept the file:/abs/path form.
    return "file:" + path.toAbsolutePath().normalize();
  }

  @Override
  public String qualify(String relativeOrAbsolute) {
    if (relativeOrAbsolute.startsWith("file:") || relativeOrAbsolute.startsWith("/")) {
      return toUri(toPath(relativeOrAbsolute));
    }
    return toUri(root.resolve(relativeOrAbsolute));
  }

  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    Path path = toPath(filePath);
    Path dir = path.getParent();
    if (!Files.isDirectory(dir)) {
      throw new FileNotFoundException("no such directory: " + dir);
    }
    String from = path.getFileName().toString();
    List<FileStatus> statuses = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.compareTo(from) >= 0 && Files.isRegularFile(entry)) {
          statuses.add(FileStatus.of(toUri(entry), Files.size(entry), Files.getLastModifiedTime(entry).toMillis()));
        }
      }
    }
    statuses.sort((a, b) -> a.getPath().compareTo(b.getPath()));
    return iterator(statuses.iterator());
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    Path p = toPath(path);
    try {
      return FileStatus.of(toUri(p), Files.size(p), Files.getLastModifiedTime(p).toMillis());
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(path);
    }
  }

  @Override
  public String resolvePath(String path) {
    return toUri(toPath(path));
  }

  @Override
  public boolean mkdirs(String path) throws IOException {
    Files.createDirectories(toPath(path));
    return true;
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    Path p = toPath(path);
    return new InputFile() {
      @Override
      public long length() throws IOException {
        return fileSize >= 0 ? fileSize : Files.size(p);
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        try {
          return new ChannelInputStream(FileChannel.open(p, StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
          // Kernel tells "absent" (e.g. no _last_checkpoint yet) from "unreadable" by this type.
          throw new FileNotFoundException(path);
        }
      }
    };
  }

  @Override
  public OutputFile newOutputFile(String path) {
    Path target = toPath(path);
    return new OutputFile() {
      @Override
      public String path() {
        return path;
      }

      @Override
      public PositionOutputStream create(boolean putIfAbsent) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        // Buffered: Parquet writes in many small pieces, each otherwise a system call.
        OutputStream out = new java.io.BufferedOutputStream(createNew(temp), 1 << 16);
        return new PositionOutputStream() {
          private long pos;

          @Override
          public void write(int b) throws IOException {
            out.write(b);
            pos++;
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            pos += len;
          }

          @Override
          public long getPos() {
            return pos;
          }

          @Override
          public void close() throws IOException {
            out.close();
            publish(temp, target, !putIfAbsent);
          }
        };
      }

      @Override
      public void writeAtomically(CloseableIterator<String> data, boolean overwrite) throws IOException {
        try (PositionOutputStream out = create(!overwrite)) {
          while (data.hasNext()) {
            out.write((data.next() + "\n").getBytes(StandardCharsets.UTF_8));
          }
        } finally {
          data.close();
        }
      }
    };
  }

  /**
   * Creates a new file, and its directory only when that is missing: a sink writes into the same
   * partition directories commit after commit, so creating them first cost a failed mkdir per file.
   */
  private static OutputStream createNew(Path file) throws IOException {
    try {
      return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (NoSuchFileException missingDirectory) {
      Files.createDirectories(file.getParent());
      return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
  }

  /** Makes a fully written temporary file visible under its final name. */
  private static void publish(Path temp, Path target, boolean overwrite) throws IOException {
    if (overwrite) {
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(temp);
        throw e;
      }
      return;
    }
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(target.toString(), null, "already exists (put-if-absent)");
    } finally {
      // The link gave the file its final name; the temporary one goes either way.
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public boolean delete(String path) throws IOException {
    return Files.deleteIfExists(toPath(path));
  }

  @Override
  public Optional<String> getConf(String confKey) {
    return Optional.empty();
  }

  @Override
  public void copyFileAtomically(String srcPath, String destPath, boolean overwrite) throws IOException {
    Path target = toPath(destPath);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    Files.copy(toPath(srcPath), temp);
    publish(temp, target, overwrite);
  }

  @Override
  public void writeBytes(String path, byte[] bytes) throws IOException {
    try (OutputStream out = create(path)) {
      out.write(bytes);
    }
  }

  @Override
  public OutputStream create(String path) throws IOException {
    return newOutputFile(qualify(path)).create(false);
  }

  @Override
  public byte[] readBytes(String path) throws IOException {
    try {
      return Files.readAllBytes(toPath(qualify(path)));
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(path);
    }
  }

  @Override
  public org.apache.parquet.io.InputFile parquetInput(String path) throws IOException {
    return new org.apache.parquet.io.LocalInputFile(toPath(qualify(path)));
  }

  private static <T> CloseableIterator<T> iterator(Iterator<T> it) {
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        if (!it.hasNext()) {
          throw new NoSuchElementException();
        }
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  /** A seekable stream over a file channel. */
  private static final class ChannelInputStream extends SeekableInputStream {
    private final FileChannel channel;

    ChannelInputStream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read() throws IOException {
      ByteBuffer one = ByteBuffer.allocate(1);
      int n = channel.read(one);
      return n <= 0 ? -1 : one.get(0) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public long getPos() throws IOException {
      return channel.position();
    }

    @Override
    public void seek(long newPos) throws IOException {
      channel.position(newPos);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          throw new java.io.EOFException("end of file after " + (len - buffer.remaining()) + " of " + len + " bytes");
        }
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

}
