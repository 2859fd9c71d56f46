package io.meshlake.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a {@link QueryResult} as an aligned text table, CSV or JSON (the HTTP endpoint's shape). */
final class ResultFormats {

  static final ObjectMapper JSON = new ObjectMapper();

  private ResultFormats() {}

  /** {"columns":[{"name","type"}...],"rows":[[...]...],"rowCount":n,"truncated":b,"elapsedMillis":n} */
  static ObjectNode json(QueryResult result) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode columns = root.putArray("columns");
    for (QueryResult.Column c : result.columns()) {
      columns.addObject().put("name", c.name()).put("type", c.type());
    }
    ArrayNode rows = root.putArray("rows");
    for (List<Object> row : result.rows()) {
      ArrayNode out = rows.addArray();
      for (Object value : row) {
        out.add(JSON.valueToTree(jsonSafe(value)));
      }
    }
    root.put("rowCount", result.rowCount());
    root.put("truncated", result.truncated());
    root.put("elapsedMillis", result.elapsedMillis());
    return root;
  }

  static String table(QueryResult result) {
    int n = result.columns().size();
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[n];
    boolean[] numeric = new boolean[n];
    for (int i = 0; i < n; i++) {
      width[i] = result.columns().get(i).name().length();
      numeric[i] = true;
    }
    for (List<Object> row : result.rows()) {
      String[] line = new String[n];
      for (int i = 0; i < n; i++) {
        Object v = row.get(i);
        line[i] = v == null ? "NULL" : text(v).replace('\n', ' ');
        width[i] = Math.max(width[i], line[i].length());
        numeric[i] &= v == null || v instanceof Number;
      }
      cells.add(line);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : " | ").append(pad(result.columns().get(i).name(), width[i], false));
    }
    out.append('\n');
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.append('\n');
    for (String[] line : cells) {
      for (int i = 0; i < n; i++) {
        out.append(i == 0 ? "" : " | ").append(pad(line[i], width[i], numeric[i]));
      }
      out.append('\n');
    }
    out.append('(').append(result.rowCount()).append(result.rowCount() == 1 ? " row" : " rows");
    if (result.truncated()) {
      out.append(", cut at the row limit");
    }
    return out.append(")\n").toString();
  }

  /** RFC 4180: header line, fields quoted when they hold a comma, quote or line break; NULL is empty. */
  static String csv(QueryResult result) {
    StringBuilder out = new StringBuilder();
    List<String> header = result.columns().stream().map(QueryResult.Column::name).toList();
    appendCsvLine(out, new ArrayList<>(header));
    for (List<Object> row : result.rows()) {
      List<Object> line = new ArrayList<>();
      for (Object v : row) {
        line.add(v == null ? "" : text(v));
      }
      appendCsvLine(out, line);
    }
    return out.toString();
  }

  private static void appendCsvLine(StringBuilder out, List<Object> fields) {
    for (int i = 0; i < fields.size(); i++) {
      String f = String.valueOf(fields.get(i));
      if (i > 0) {
        out.append(',');
      }
      if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
        out.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        out.append(f);
      }
    }
    out.append("\r\n");
  }

  /** Lists and structs as JSON, everything else as its string. */
  private static String text(Object v) {
    if (v instanceof List<?> || v instanceof Map<?, ?>) {
      try {
        return JSON.writeValueAsString(jsonSafe(v));
      } catch (JsonProcessingException e) {
        return String.valueOf(v);
      }
    }
    return String.valueOf(v);
  }

  /** JSON has no NaN or infinities: those become strings. */
  private static Object jsonSafe(Object v) {
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return d.toString();
    }
    if (v instanceof Float f && (f.isNaN() || f.isInfinite())) {
      return f.toString();
    }
    if (v instanceof List<?> list) {
      return list.stream().map(ResultFormats::jsonSafe).toList();
    }
    return v;
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - s.length()));
    return right ? fill + s : s + fill;
  }
}
