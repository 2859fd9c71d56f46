package io.meshlake.table.delta;

import io.delta.kernel.internal.deletionvectors.Base85Codec;
import io.meshlake.table.storage.TableStore;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import org.roaringbitmap.RoaringBitmap;

/**
 * Deletion vectors as the Delta protocol stores them. A DV file starts with a version byte (1); each
 * vector in it is, at its descriptor's offset, {@code [size: int32 BE][data][CRC-32 of data: int32 BE]},
 * where data is the portable RoaringBitmapArray serialization: magic 1681511377 (int32 LE), the
 * number of 32-bit bitmaps (int64 LE), then per bitmap its key — the high 32 bits of the row
 * positions it holds — (int32 LE) and the bitmap in Roaring's portable format. Files are stored by
 * UUID ({@code deletion_vector_<uuid>.bin} at the table root, storage type {@code u}).
 */
public final class DeletionVectors {

  static final int PORTABLE_MAGIC = 1681511377;
  static final byte FORMAT_VERSION = 1;

  private DeletionVectors() {}

  /** The protocol's data bytes for a set of row positions (all below 2^32: one bitmap, key 0). */
  public static byte[] serialize(RoaringBitmap positions) {
    int bitmapBytes = positions.isEmpty() ? 0 : positions.serializedSizeInBytes();
    ByteBuffer buffer = ByteBuffer.allocate(4 + 8 + (positions.isEmpty() ? 0 : 4 + bitmapBytes)).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(PORTABLE_MAGIC);
    buffer.putLong(positions.isEmpty() ? 0 : 1);
    if (!positions.isEmpty()) {
      buffer.putInt(0);
      positions.serialize(buffer.slice().order(ByteOrder.LITTLE_ENDIAN));
      buffer.position(buffer.position() + bitmapBytes);
    }
    return buffer.array();
  }

  /** Row positions from the protocol's data bytes; positions at or above 2^31 are refused. */
  public static RoaringBitmap deserialize(byte[] data) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int magic = buffer.getInt();
    if (magic != PORTABLE_MAGIC) {
      throw new IOException("not a portable RoaringBitmapArray (magic " + magic + ")");
    }
    long count = buffer.getLong();
    RoaringBitmap result = new RoaringBitmap();
    for (long i = 0; i < count; i++) {
      int key = buffer.getInt();
      RoaringBitmap bitmap = new RoaringBitmap();
      bitmap.deserialize(buffer.slice().order(ByteOrder.LITTLE_ENDIAN));
      buffer.position(buffer.position() + bitmap.serializedSizeInBytes());
      if (key != 0 && !bitmap.isEmpty()) {
        throw new IOException("row positions above 2^32 (bitmap key " + key + ") are not supported");
      }
      result.or(bitmap);
    }
    return result;
  }

  /**
   * Writes the bitmaps into one new DV file under the table and returns their descriptors, in the
   * same order. The file is invisible to readers until a commit references it.
   */
  public static List<TableFile.DeletionVector> write(TableStore store, String tablePath, List<RoaringBitmap> bitmaps)
      throws IOException {
    UUID id = UUID.randomUUID();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(FORMAT_VERSION);
    List<TableFile.DeletionVector> descriptors = new ArrayList<>(bitmaps.size());
    String encoded = Base85Codec.encodeUUID(id);
    for (RoaringBitmap bitmap : bitmaps) {
      byte[] data = serialize(bitmap);
      int offset = out.size();
      CRC32 crc = new CRC32();
      crc.update(data);
      out.writeInt(data.length); // big-endian, as DataOutputStream writes
      out.write(data);
      out.writeInt((int) crc.getValue());
      descriptors.add(new TableFile.DeletionVector("u", encoded, offset, data.length, bitmap.getLongCardinality()));
    }
    out.flush();
    store.writeBytes(store.qualify(tablePath + "/" + fileName(id)), bytes.toByteArray());
    return descriptors;
  }

  /** The row positions a descriptor marks deleted, checked against its size and checksum. */
  public static RoaringBitmap read(TableStore store, String tablePath, TableFile.DeletionVector dv) throws IOException {
    if (dv.cardinality() == 0) {
      return new RoaringBitmap();
    }
    byte[] data;
    switch (dv.storageType()) {
      case "i" -> data = Base85Codec.decodeBytes(dv.pathOrInline(), dv.sizeInBytes());
      case "u", "p" -> {
        byte[] file = store.readBytes(path(store, tablePath, dv));
        ByteBuffer buffer = ByteBuffer.wrap(file);
        buffer.position(dv.offset());
        int size = buffer.getInt();
        if (size != dv.sizeInBytes()) {
          throw new IOException("deletion vector at offset " + dv.offset() + " has " + size + " bytes, the log says " + dv.sizeInBytes());
        }
        data = new byte[size];
        buffer.get(data);
        int expected = buffer.getInt();
        CRC32 crc = new CRC32();
        crc.update(data);
        if ((int) crc.getValue() != expected) {
          throw new IOException("deletion vector at offset " + dv.offset() + " of " + dv.pathOrInline() + " fails its checksum");
        }
      }
      default -> throw new IOException("unknown deletion vector storage type '" + dv.storageType() + "'");
    }
    RoaringBitmap positions = deserialize(data);
    if (positions.getLongCardinality() != dv.cardinality()) {
      throw new IOException("deletion vector holds " + positions.getLongCardinality() + " positions, the log says " + dv.cardinality());
    }
    return positions;
  }

  static String fileName(UUID id) {
    return "deletion_vector_" + id + ".bin";
  }

  /** The DV file of a descriptor, qualified by the store. */
  static String path(TableStore store, String tablePath, TableFile.DeletionVector dv) {
    if (dv.storageType().equals("p")) {
      return dv.pathOrInline();
    }
    String encoded = dv.pathOrInline();
    int prefixLength = encoded.length() - Base85Codec.ENCODED_UUID_LENGTH;
    String prefix = encoded.substring(0, prefixLength);
    UUID id = Base85Codec.decodeUUID(encoded.substring(prefixLength));
    return store.qualify(tablePath + "/" + (prefix.isEmpty() ? "" : prefix + "/") + fileName(id));
  }
}
