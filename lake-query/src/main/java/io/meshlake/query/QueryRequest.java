package io.meshlake.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /query}:
 * {@code {"workspace":"w","sql":"...","params":{"start":"2024-01-01","projects":["P1"]},"scope":{"jira_issue":{"project_id":["P1"]}}}}.
 */
record QueryRequest(String workspace, String sql, Map<String, Object> params, QueryScope scope) {

  private static final Set<String> FIELDS = Set.of("workspace", "sql", "params", "scope");

  static QueryRequest parse(byte[] body) {
    JsonNode root;
    try {
      root = ResultFormats.JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw QueryException.rejected("the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw QueryException.rejected("the body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw QueryException.rejected("the body must be a JSON object with workspace and sql");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw QueryException.rejected("unknown field '" + name + "'; fields are workspace, sql, params, scope");
      }
    }
    String workspace = text(root, "workspace");
    String sql = text(root, "sql");
    Map<String, Object> params = new LinkedHashMap<>();
    JsonNode p = root.path("params");
    if (!p.isMissingNode() && !p.isNull()) {
      if (!p.isObject()) {
        throw QueryException.rejected("params must be an object of name → value");
      }
      p.fields().forEachRemaining(e -> params.put(e.getKey(), value(e.getValue(), "params." + e.getKey(), true)));
    }
    QueryScope scope = QueryScope.none();
    JsonNode s = root.path("scope");
    if (!s.isMissingNode() && !s.isNull()) {
      if (!s.isObject()) {
        throw QueryException.rejected("scope must be an object: {\"table\": {\"column\": [values]}}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> tables = s.fields(); tables.hasNext(); ) {
        Map.Entry<String, JsonNode> table = tables.next();
        if (!table.getValue().isObject()) {
          throw QueryException.rejected("scope." + table.getKey() + " must be an object: {\"column\": [values]}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> columns = table.getValue().fields(); columns.hasNext(); ) {
          Map.Entry<String, JsonNode> column = columns.next();
          String where = "scope." + table.getKey() + "." + column.getKey();
          if (!column.getValue().isArray()) {
            throw QueryException.rejected(where + " must be a list of values");
          }
          List<Object> values = new ArrayList<>();
          column.getValue().forEach(v -> values.add(value(v, where, false)));
          scope = scope.restrict(table.getKey(), column.getKey(), values);
        }
      }
    }
    return new QueryRequest(workspace, sql, params, scope);
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.path(field);
    if (!node.isTextual()) {
      throw QueryException.rejected("field '" + field + "' is required and must be a string");
    }
    return node.asText();
  }

  private static Object value(JsonNode node, String where, boolean listAllowed) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isNull() && listAllowed) {
      return null;
    }
    if (node.isArray() && listAllowed) {
      List<Object> list = new ArrayList<>();
      node.forEach(v -> list.add(value(v, where, false)));
      return list;
    }
    throw QueryException.rejected(where + " must be a string, number or boolean" + (listAllowed ? ", null or a list of those" : ""));
  }
}
