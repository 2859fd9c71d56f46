package io.meshlake.router;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An ingress event waiting for its workspace's residency: everything needed to route it later
 * exactly as it arrived (key, value, headers, timestamp) and where it came from.
 */
record HeldEvent(String sourceTopic, int partition, long offset, long timestamp, byte[] key, byte[] value,
    Headers headers) {

  private static final byte FORMAT = 1;

  /** Bytes this event occupies in the held store, roughly: what the held-bytes gauge counts. */
  long size() {
    long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Header header : headers) {
      size += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    return size;
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (int) size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(sourceTopic);
      out.writeInt(partition);
      out.writeLong(offset);
      out.writeLong(timestamp);
      writeBytes(out, key);
      writeBytes(out, value);
      Header[] all = headers.toArray();
      out.writeInt(all.length);
      for (Header header : all) {
        out.writeUTF(header.key());
        writeBytes(out, header.value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static HeldEvent decode(byte[] stored) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException("held event in unknown format " + format + "; written by a newer router?");
      }
      String topic = in.readUTF();
      int partition = in.readInt();
      long offset = in.readLong();
      long timestamp = in.readLong();
      byte[] key = readBytes(in);
      byte[] value = readBytes(in);
      int count = in.readInt();
      RecordHeaders headers = new RecordHeaders();
      for (int i = 0; i < count; i++) {
        headers.add(in.readUTF(), readBytes(in));
      }
      return new HeldEvent(topic, partition, offset, timestamp, key, value, headers);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt held event", e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    if (bytes == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
