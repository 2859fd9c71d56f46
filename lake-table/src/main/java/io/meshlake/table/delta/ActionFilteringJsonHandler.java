package io.meshlake.table.delta;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultJsonHandler;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Delta log JSON for Kernel, parsing only the lines that hold an action the caller asked for.
 *
 * <p>Kernel reads commit files with a narrow schema far more often than with a wide one: the
 * {@code txn} of an appId before every commit that records a Kafka offset, protocol and metadata when
 * a snapshot loads, conflicting commits' removes and txns on a retry. The default handler builds a
 * full JSON tree of every line regardless, and in a merge-on-read table almost every line is an
 * {@code add} whose statistics are an escaped JSON string: decoding them was most of the cost of a
 * commit. A line whose top-level actions are all outside the read schema would parse to a row of
 * nulls, so it is given to the parser as {@code {}} instead; the row count and order stay the same.
 */
final class ActionFilteringJsonHandler extends DefaultJsonHandler {

  private static final JsonFactory JSON = new JsonFactory();
  private static final String EMPTY_ACTION = "{}";

  private final FileIO fileIO;
  private final int maxBatchSize;

  ActionFilteringJsonHandler(FileIO fileIO) {
    super(fileIO);
    this.fileIO = fileIO;
    this.maxBatchSize = fileIO.getConf("delta.kernel.default.json.reader.batch-size").map(Integer::valueOf).orElse(1024);
  }

  @Override
  public CloseableIterator<ColumnarBatch> readJsonFiles(CloseableIterator<FileStatus> files, StructType physicalSchema,
      Optional<Predicate> predicate) {
    Set<String> wanted = new HashSet<>();
    for (StructField field : physicalSchema.fields()) {
      wanted.add(field.getName());
    }
    return new CloseableIterator<>() {
      private FileStatus current;
      private BufferedReader reader;
      private String pending;

      @Override
      public boolean hasNext() {
        try {
          while (pending == null) {
            if (reader != null) {
              pending = reader.readLine();
              if (pending != null) {
                break;
              }
              reader.close();
              reader = null;
            }
            if (!files.hasNext()) {
              return false;
            }
            current = files.next();
            reader = new BufferedReader(new InputStreamReader(
                fileIO.newInputFile(current.getPath(), current.getSize()).newStream(), StandardCharsets.UTF_8));
          }
          return true;
        } catch (IOException e) {
          throw new KernelEngineException("Error reading JSON file: " + (current == null ? "?" : current.getPath()), e);
        }
      }

      @Override
      public ColumnarBatch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        List<String> lines = new ArrayList<>();
        do {
          lines.add(mayHold(pending, wanted) ? pending : EMPTY_ACTION);
          pending = null;
        } while (lines.size() < maxBatchSize && hasNext());
        return parseJson(new Lines(lines), physicalSchema, Optional.empty());
      }

      @Override
      public void close() throws IOException {
        try {
          if (reader != null) {
            reader.close();
          }
        } finally {
          files.close();
        }
      }
    };
  }

  /**
   * Whether a log line has a top-level field in {@code wanted}. Scans tokens without building
   * values; anything unexpected (not an object, malformed) counts as wanted, so the real parser
   * sees it and reports it as it would have.
   */
  static boolean mayHold(String line, Set<String> wanted) {
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return true;
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        if (wanted.contains(parser.currentName())) {
          return true;
        }
        parser.nextToken();
        parser.skipChildren();
      }
      return token != JsonToken.END_OBJECT || parser.nextToken() != null;
    } catch (IOException e) {
      return true;
    }
  }

  /** Log lines as a string column, the input {@link #parseJson} takes. */
  private static final class Lines implements ColumnVector {
    private final List<String> lines;

    Lines(List<String> lines) {
      this.lines = lines;
    }

    @Override
    public DataType getDataType() {
      return StringType.STRING;
    }

    @Override
    public int getSize() {
      return lines.size();
    }

    @Override
    public void close() {}

    @Override
    public boolean isNullAt(int rowId) {
      return false;
    }

    @Override
    public String getString(int rowId) {
      return lines.get(rowId);
    }
  }
}
