package io.meshlake.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Struct;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBStruct;

/** Turns DuckDB's JDBC values into plain values that print and serialize the same everywhere. */
final class ResultValues {

  private ResultValues() {}

  static Object plain(Object value) throws SQLException {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Integer
        || value instanceof Short || value instanceof Byte || value instanceof Double || value instanceof Float
        || value instanceof BigDecimal || value instanceof BigInteger) {
      return value;
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toLocalDateTime().toString();
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (value instanceof TemporalAccessor) {
      return value.toString();
    }
    if (value instanceof Array array) {
      List<Object> out = new ArrayList<>();
      for (Object element : (Object[]) array.getArray()) {
        out.add(plain(element));
      }
      return out;
    }
    if (value instanceof DuckDBStruct struct) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : struct.getMap().entrySet()) {
        out.put(e.getKey(), plain(e.getValue()));
      }
      return out;
    }
    if (value instanceof Struct struct) {
      List<Object> out = new ArrayList<>();
      for (Object a : struct.getAttributes()) {
        out.add(plain(a));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(String.valueOf(e.getKey()), plain(e.getValue()));
      }
      return out;
    }
    if (value instanceof Blob blob) {
      return Base64.getEncoder().encodeToString(blob.getBytes(1, (int) blob.length()));
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    return value.toString();
  }
}
