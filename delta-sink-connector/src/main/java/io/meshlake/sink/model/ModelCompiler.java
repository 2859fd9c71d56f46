package io.meshlake.sink.model;

import io.meshlake.contracts.ContractTypes;
import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.manifest.ModelRef;
import io.meshlake.contracts.manifest.WriterType;
import io.meshlake.contracts.model.ModelException;
import io.meshlake.contracts.model.ModelRenderer;
import io.meshlake.contracts.model.RenderedModel;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Primitive;
import io.meshlake.sink.schema.ProtobufFlattener;
import io.meshlake.sink.schema.SourceRow;
import io.meshlake.table.schema.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.LateralView;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * Compiles a rendered dbt-style model into a {@link RowFunction} for the streaming path.
 *
 * <p>A model is one SELECT over its one source (optionally a chain of single-source CTEs), with
 * projections, filters and at most one {@code LATERAL VIEW [POS]EXPLODE}; the accepted SQL is listed in
 * {@link io.meshlake.sink.model the package documentation}. Anything else — joins, subqueries,
 * aggregates, windows, DISTINCT, ORDER BY, LIMIT, UNION, unknown columns or functions, type errors —
 * is rejected with a {@link ModelException} that names the model and the offending construct.
 * Compilation parses once and resolves every column reference to an array index, so
 * {@link RowFunction#apply} does no parsing, name lookup, reflection or map allocation.
 *
 * <p>What the writers rely on:
 *
 * <ul>
 *   <li>For a tombstone event the writers do not call {@code apply}: they delete by key (Merge) or all
 *       children of the parent key (MergeExploded). {@code apply} is for live entity versions only.
 *   <li>For a Merge model (no LATERAL VIEW) {@code apply} emits 0 or 1 row. 0 rows means the entity no
 *       longer matches the model's WHERE (a page that went back to draft): the Merge writer treats it as
 *       a delete of that key, so a row never outlives the condition that put it in the table.
 *   <li>For a MergeExploded model {@code apply} emits the parent's current children (0..n; 0 when the
 *       array is empty or NULL, or no element passes the WHERE); the writer replaces all children of the
 *       parent key with them. Parent key columns are computed from the parent only, never from the
 *       generated columns, so every child of one event carries the same parent key.
 *   <li>A WHERE (or any condition) that is NULL counts as not matched (SQL three-valued logic).
 *   <li>{@code apply} is deterministic (no clock, no randomness), keeps no reference to the source row,
 *       never throws on data (a value that cannot be computed is NULL: division by zero, a CAST that
 *       does not convert) and may be called from several threads.
 * </ul>
 */
public final class ModelCompiler {

  /** Compiles a model against its source schema ({@link SourceRow#schema}), without checking it against a writer type. */
  public CompiledModel compile(RenderedModel model, ColumnType.Struct sourceSchema) {
    return compile(model, sourceSchema, null);
  }

  /**
   * Compiles a model and checks that its shape suits the writer: a Merge model has no LATERAL VIEW and
   * no parent key; a MergeExploded model has both. {@code writer} may be null to skip that check.
   */
  public CompiledModel compile(RenderedModel model, ColumnType.Struct sourceSchema, WriterType writer) {
    try {
      return new Compilation(model, sourceSchema).run(writer);
    } catch (CompileError e) {
      throw new ModelException("model '" + model.name() + "': " + e.getMessage());
    }
  }

  /**
   * Compiles a model shipped in the contracts: renders its SQL, derives the source schema from the
   * entity's generated protobuf type and checks the model against the writer its manifest declares.
   */
  public CompiledModel compile(EntityCatalog catalog, String modelName) {
    EntityManifest entity = catalog.byModel(modelName)
        .orElseThrow(() -> new ModelException("model '" + modelName + "': no entity manifest feeds it"));
    ModelRef ref = catalog.model(modelName).orElseThrow();
    RenderedModel rendered = new ModelRenderer().render(modelName, catalog.modelSql(modelName));
    ModelRenderer.SourceRef source = rendered.source();
    if (!source.domain().equals(entity.domain()) || !source.entity().equals(entity.messageName())) {
      throw new ModelException("model '" + modelName + "' reads source('" + source.domain() + "', '" + source.entity()
          + "') but its manifest " + entity.source() + " feeds it from " + entity.entity() + " in domain " + entity.domain());
    }
    var descriptor = ContractTypes.descriptor(entity.entity())
        .orElseThrow(() -> new ModelException("model '" + modelName + "': " + entity.entity() + " is not a compiled contract type"));
    return compile(rendered, SourceRow.schema(new ProtobufFlattener(descriptor).struct()), ref.writer());
  }

  /** One compilation: the SELECT chain, stage by stage, into one row function. */
  private static final class Compilation {
    private final RenderedModel model;
    private final ColumnType.Struct sourceSchema;
    private final List<Typed> filters = new ArrayList<>();
    private Typed generator;

    Compilation(RenderedModel model, ColumnType.Struct sourceSchema) {
      this.model = model;
      this.sourceSchema = sourceSchema;
    }

    CompiledModel run(WriterType writer) {
      PlainSelect main = topSelect(parse(model.sql()));
      String sourceName = model.source().identifier();
      List<Scope.Column> relation = new ArrayList<>();
      for (int i = 0; i < sourceSchema.fields().size(); i++) {
        ColumnType.Field f = sourceSchema.fields().get(i);
        relation.add(new Scope.Column(f.name(), new Typed(new Eval.SourceColumn(i), f.type(), false, false)));
      }
      List<String> chain = new ArrayList<>();
      chain.add(sourceName);
      List<WithItem<?>> ctes = main.getWithItemsList() == null ? List.of() : main.getWithItemsList();
      for (WithItem<?> cte : ctes) {
        String name = cteName(cte, chain);
        relation = stage(cteBody(cte, name), chain, relation, false, "CTE '" + name + "'");
        chain.add(name);
      }
      List<Scope.Column> output = stage(main, chain, relation, true, "the SELECT");
      return assemble(output, writer);
    }

    private CompiledModel assemble(List<Scope.Column> output, WriterType writer) {
      List<ColumnType.Field> fields = new ArrayList<>();
      Eval[] columns = new Eval[output.size()];
      for (int i = 0; i < columns.length; i++) {
        Scope.Column c = output.get(i);
        fields.add(new ColumnType.Field(c.name(), c.value().type()));
        columns[i] = c.value().eval();
      }
      TableSchema schema = new TableSchema(fields);
      List<Eval> sourceFilters = new ArrayList<>();
      List<Eval> generatedFilters = new ArrayList<>();
      for (Typed f : filters) {
        if (f.constant() && Boolean.TRUE.equals(f.value())) {
          continue;
        }
        (f.usesGenerator() ? generatedFilters : sourceFilters).add(f.eval());
      }
      RowFunction function = new CompiledRowFunction(schema, columns, sourceFilters.toArray(Eval[]::new),
          generator == null ? null : generator.eval(), generatedFilters.toArray(Eval[]::new));
      List<String> uniqueKey = model.uniqueKey();
      List<String> parentKey = model.parentKey();
      checkKeys(output, schema, uniqueKey, parentKey);
      checkWriter(writer, parentKey);
      return new CompiledModel(model.name(), model.source(), schema, function, uniqueKey, parentKey, generator != null);
    }

    private void checkKeys(List<Scope.Column> output, TableSchema schema, List<String> uniqueKey, List<String> parentKey) {
      if (uniqueKey.isEmpty()) {
        throw new CompileError("config(unique_key=...) names no column");
      }
      for (String key : uniqueKey) {
        if (schema.indexOf(key) < 0) {
          throw new CompileError("unique_key column '" + key + "' is not an output column; columns are " + schema.names());
        }
      }
      for (String key : parentKey) {
        int index = schema.indexOf(key);
        if (index < 0) {
          throw new CompileError("parent_key column '" + key + "' is not an output column; columns are " + schema.names());
        }
        if (!uniqueKey.contains(key)) {
          throw new CompileError("parent_key column '" + key + "' must also be part of unique_key " + uniqueKey
              + ", so that children of different parents never share a key");
        }
        if (output.get(index).value().usesGenerator()) {
          throw new CompileError("parent_key column '" + key + "' must be computed from the parent, not from the LATERAL VIEW");
        }
      }
    }

    private void checkWriter(WriterType writer, List<String> parentKey) {
      if (writer == WriterType.MERGE) {
        if (generator != null) {
          throw new CompileError("a Merge model yields at most one row per event, so it cannot have a LATERAL VIEW;"
              + " declare the model with writer MergeExploded");
        }
        if (!parentKey.isEmpty()) {
          throw new CompileError("config(parent_key=...) is only for MergeExploded models");
        }
      } else if (writer == WriterType.MERGE_EXPLODED) {
        if (generator == null) {
          throw new CompileError("a MergeExploded model needs a LATERAL VIEW [POS]EXPLODE(<array>) producing its child rows");
        }
        if (parentKey.isEmpty()) {
          throw new CompileError("a MergeExploded model needs config(parent_key=...): the key whose children a new version replaces");
        }
      }
    }

    // ---- statement structure ------------------------------------------------------------------

    private static Statement parse(String sql) {
      try {
        return CCJSqlParserUtil.parse(sql);
      } catch (JSQLParserException e) {
        Throwable cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
        String message = String.valueOf(cause.getMessage()).lines().limit(2).map(String::trim)
            .reduce((a, b) -> a + " " + b).orElse("").replaceFirst("^[\\w.]+Exception: ", "");
        throw new CompileError("the SQL does not parse: " + message);
      }
    }

    private static PlainSelect topSelect(Statement statement) {
      if (!(statement instanceof Select select)) {
        throw new CompileError("a model must be a SELECT, found " + statement.getClass().getSimpleName().toUpperCase(Locale.ROOT));
      }
      return plain(select, "the model");
    }

    private static PlainSelect plain(Select select, String where) {
      Select s = select;
      while (s instanceof ParenthesedSelect p && p.getWithItemsList() == null) {
        s = p.getSelect();
      }
      if (s instanceof PlainSelect ps) {
        return ps;
      }
      if (s instanceof SetOperationList) {
        throw new CompileError("UNION, INTERSECT and EXCEPT are not allowed (" + where + "): a streaming model is one SELECT over its one source");
      }
      if (s instanceof Values) {
        throw new CompileError("VALUES is not allowed (" + where + "): a model reads its source");
      }
      throw new CompileError(where + " must be a plain SELECT, found " + s);
    }

    private static String cteName(WithItem<?> cte, List<String> chain) {
      if (cte.isRecursive()) {
        throw new CompileError("WITH RECURSIVE is not allowed");
      }
      if (cte.getWithItemList() != null && !cte.getWithItemList().isEmpty()) {
        throw new CompileError("CTE column lists are not supported (" + cte.getAliasName() + "); name columns with AS in its SELECT");
      }
      if (cte.getSelect() == null) {
        throw new CompileError("CTE " + cte.getAliasName() + " must be a SELECT");
      }
      String name = ExpressionCompiler.identifier(cte.getAliasName(), "WITH");
      for (String existing : chain) {
        if (existing.equalsIgnoreCase(name)) {
          throw new CompileError("CTE name '" + name + "' is used twice (or names the source)");
        }
      }
      return name;
    }

    private static PlainSelect cteBody(WithItem<?> cte, String name) {
      PlainSelect body = plain(cte.getSelect(), "CTE '" + name + "'");
      if (body.getWithItemsList() != null && !body.getWithItemsList().isEmpty()) {
        throw new CompileError("nested WITH in CTE '" + name + "' is not supported; chain the CTEs in one WITH");
      }
      return body;
    }

    /** Where a clause was found, for messages: nothing for the main SELECT, the CTE otherwise. */
    private static String in(String where) {
      return where.startsWith("CTE") ? " (in " + where + ")" : "";
    }

    private static void rejectClauses(PlainSelect ps, String where) {
      if (ps.getJoins() != null && !ps.getJoins().isEmpty()) {
        throw new CompileError("JOIN is not allowed in a streaming model; joins belong to enhanced views" + in(where));
      }
      String clause = ps.getDistinct() != null ? "DISTINCT"
          : ps.getGroupBy() != null ? "GROUP BY"
          : ps.getHaving() != null ? "HAVING"
          : ps.getQualify() != null ? "QUALIFY"
          : ps.getWindowDefinitions() != null && !ps.getWindowDefinitions().isEmpty() ? "WINDOW"
          : null;
      if (clause != null) {
        throw new CompileError(clause + " is not allowed in a streaming model: each event is mapped on its own;"
            + " aggregations belong to enhanced views and tables" + in(where));
      }
      if (ps.getOrderByElements() != null && !ps.getOrderByElements().isEmpty()) {
        throw new CompileError("ORDER BY is not allowed in a streaming model: a table has no row order" + in(where));
      }
      if (ps.getLimit() != null || ps.getOffset() != null || ps.getFetch() != null || ps.getTop() != null
          || ps.getLimitBy() != null || ps.getFirst() != null || ps.getSkip() != null) {
        throw new CompileError("LIMIT, OFFSET, FETCH and TOP are not allowed in a streaming model: every event that matches is kept"
            + in(where));
      }
      if (ps.getIntoTables() != null || ps.getForMode() != null || ps.getForUpdateTable() != null
          || ps.getOracleHierarchical() != null || ps.getKsqlWindow() != null) {
        throw new CompileError("unsupported clause in " + where + ": " + ps);
      }
    }

    // ---- one SELECT -----------------------------------------------------------------------------

    /** Compiles one SELECT of the chain reading {@code relation}, the output of the stage before it; returns its columns. */
    private List<Scope.Column> stage(PlainSelect ps, List<String> chain, List<Scope.Column> relation, boolean last, String where) {
      rejectClauses(ps, where);
      String expected = chain.get(chain.size() - 1);
      List<String> qualifiers = new ArrayList<>();
      qualifiers.add(expected);
      String alias = from(ps.getFromItem(), chain, where);
      if (alias != null) {
        qualifiers.add(alias);
      }

      Scope relationScope = new Scope(qualifiers, relation, null, List.of());
      String generatorAlias = null;
      List<Scope.Column> generated = List.of();
      if (ps.getLateralViews() != null && !ps.getLateralViews().isEmpty()) {
        if (ps.getLateralViews().size() > 1 || generator != null) {
          throw new CompileError("a model may have at most one LATERAL VIEW (" + where + "): one array becomes the child rows");
        }
        LateralView view = ps.getLateralViews().get(0);
        generated = lateralView(view, new ExpressionCompiler(relationScope), where);
        generatorAlias = view.getTableAlias() == null ? null : ExpressionCompiler.identifier(view.getTableAlias().getName(), where);
      }
      Scope scope = new Scope(qualifiers, relation, generatorAlias, generated);
      ExpressionCompiler compiler = new ExpressionCompiler(scope);

      if (ps.getWhere() != null) {
        filters.add(compiler.condition(ps.getWhere(), "WHERE"));
      }

      List<Scope.Column> output = new ArrayList<>();
      Map<String, String> names = new HashMap<>();
      for (int i = 0; i < ps.getSelectItems().size(); i++) {
        SelectItem<?> item = ps.getSelectItems().get(i);
        for (Scope.Column c : selectItem(item, i + 1, scope, compiler, last, where)) {
          String previous = names.put(c.name().toLowerCase(Locale.ROOT), c.name());
          if (previous != null) {
            throw new CompileError("duplicate output column '" + c.name() + "' in " + where
                + (previous.equals(c.name()) ? "" : " (column names are case-insensitive: '" + previous + "')")
                + "; rename one with AS");
          }
          if (last && c.name().equalsIgnoreCase(SourceRow.ENVELOPE)) {
            throw new CompileError("'" + SourceRow.ENVELOPE + "' cannot be a table column; select its members, e.g. with {{ envelope_fields() }}");
          }
          if (last && c.value().type() == null) {
            throw new CompileError("cannot infer the type of column '" + c.name() + "' (a bare NULL); write CAST(NULL AS <type>)");
          }
          output.add(c);
        }
      }
      return output;
    }

    /** Checks FROM against the chain; returns the relation's alias, if any. */
    private String from(FromItem from, List<String> chain, String where) {
      String expected = chain.get(chain.size() - 1);
      String sourceText = "{{ source('" + model.source().domain() + "', '" + model.source().entity() + "') }}";
      if (from == null) {
        throw new CompileError(where + " has no FROM; a model reads " + sourceText);
      }
      if (from instanceof ParenthesedSelect) {
        throw new CompileError("subqueries in FROM are not allowed (" + where + "); chain CTEs instead: WITH a AS (SELECT ... FROM "
            + sourceText + ") SELECT ... FROM a");
      }
      if (!(from instanceof Table table)) {
        throw new CompileError(where + " must read FROM " + (chain.size() == 1 ? sourceText : expected) + ", found " + from);
      }
      if (table.getSampleClause() != null || table.getPivot() != null || table.getUnPivot() != null) {
        throw new CompileError("TABLESAMPLE, PIVOT and UNPIVOT are not allowed in a streaming model (" + where + ")");
      }
      String name = ExpressionCompiler.identifier(table.getName(), where);
      boolean qualified = table.getNameParts() != null && table.getNameParts().size() > 1;
      if (qualified || !name.equalsIgnoreCase(expected)) {
        boolean inChain = !qualified && chain.stream().anyMatch(name::equalsIgnoreCase);
        if (inChain) {
          throw new CompileError(where + " reads " + name + " but must read " + expected
              + ": each CTE reads the one before it (the first reads the source) and the final SELECT reads the last CTE");
        }
        throw new CompileError(where + " reads " + table.getFullyQualifiedName() + "; a model reads only its source "
            + sourceText + (chain.size() > 1 ? " (through the CTE chain, here " + expected + ")" : ""));
      }
      Alias alias = table.getAlias();
      if (alias == null) {
        return null;
      }
      if (alias.getAliasColumns() != null && !alias.getAliasColumns().isEmpty()) {
        throw new CompileError("column aliases on FROM are not supported (" + alias + "); use AS in the SELECT list");
      }
      return ExpressionCompiler.identifier(alias.getName(), where);
    }

    private List<Scope.Column> lateralView(LateralView view, ExpressionCompiler parentCompiler, String where) {
      Function f = view.getGeneratorFunction();
      String text = "LATERAL VIEW " + f;
      if (view.isUsingOuter()) {
        throw new CompileError("LATERAL VIEW OUTER is not supported (" + where + "): a parent without elements has no child rows");
      }
      String name = f.getName().toUpperCase(Locale.ROOT);
      boolean withPosition = name.equals("POSEXPLODE");
      if (!withPosition && !name.equals("EXPLODE")) {
        throw new CompileError(text + ": LATERAL VIEW supports EXPLODE and POSEXPLODE only");
      }
      if (f.getParameters() == null || f.getParameters().size() != 1) {
        throw new CompileError(text + ": " + name + " takes one array");
      }
      Typed array = parentCompiler.compile(f.getParameters().get(0));
      if (!(array.type() instanceof ColumnType.Array arrayType)) {
        throw new CompileError(text + ": " + name + " needs an ARRAY, but " + f.getParameters().get(0) + " is " + SqlTypes.name(array.type()));
      }
      List<String> names = new ArrayList<>();
      Alias columns = view.getColumnAlias();
      if (columns != null && columns.getAliasColumns() != null && !columns.getAliasColumns().isEmpty()) {
        columns.getAliasColumns().forEach(c -> names.add(ExpressionCompiler.identifier(c.name, text)));
      } else if (columns != null && columns.getName() != null) {
        names.add(ExpressionCompiler.identifier(columns.getName(), text));
      }
      int expected = withPosition ? 2 : 1;
      if (names.size() != expected) {
        throw new CompileError(text + " AS " + String.join(", ", names) + ": " + name + " produces " + expected + " column"
            + (withPosition ? "s (position, element)" : " (element)") + ", so name " + expected);
      }
      if (withPosition && names.get(0).equalsIgnoreCase(names.get(1))) {
        throw new CompileError(text + ": the position and element columns need different names");
      }
      generator = array;
      List<Scope.Column> generated = new ArrayList<>();
      if (withPosition) {
        generated.add(new Scope.Column(names.get(0), new Typed(new Eval.GeneratedColumn(0), Primitive.INT, false, true)));
      }
      generated.add(new Scope.Column(names.get(names.size() - 1),
          new Typed(new Eval.GeneratedColumn(1), arrayType.element(), false, true)));
      return generated;
    }

    private List<Scope.Column> selectItem(SelectItem<?> item, int position, Scope scope, ExpressionCompiler compiler,
        boolean last, String where) {
      Expression e = item.getExpression();
      if (e instanceof AllColumns all) {
        if (all.getExceptColumns() != null || all.getReplaceExpressions() != null) {
          throw new CompileError("* EXCEPT / REPLACE is not supported (" + where + "); list the columns");
        }
        if (item.getAlias() != null) {
          throw new CompileError("* cannot have an alias (" + where + ")");
        }
        List<Scope.Column> out = new ArrayList<>();
        boolean relation = true;
        boolean generatedToo = true;
        if (all instanceof AllTableColumns t) {
          String q = ExpressionCompiler.identifier(t.getTable().getName(), where);
          relation = scope.isRelation(q);
          generatedToo = scope.isGenerator(q);
          if (!relation && !generatedToo) {
            throw new CompileError("unknown relation '" + q + "' in " + all + " (" + where + ")");
          }
        }
        if (relation) {
          for (Scope.Column c : scope.columns()) {
            if (!(last && c.name().equals(SourceRow.ENVELOPE))) {
              out.add(c);
            }
          }
        }
        if (generatedToo) {
          out.addAll(scope.generated());
        }
        return out;
      }
      Typed value = compiler.compile(e);
      String name;
      if (item.getAlias() != null) {
        if (item.getAlias().getAliasColumns() != null && !item.getAlias().getAliasColumns().isEmpty()) {
          throw new CompileError("multi-column aliases are not supported: " + item);
        }
        name = ExpressionCompiler.identifier(item.getAlias().getName(), item);
      } else if (e instanceof Column c) {
        name = ExpressionCompiler.identifier(c.getColumnName(), item);
      } else {
        throw new CompileError("output column " + position + " (" + e + ") in " + where + " needs a name: add AS <name>");
      }
      if (name.isBlank()) {
        throw new CompileError("output column " + position + " (" + e + ") in " + where + " has an empty name");
      }
      return List.of(new Scope.Column(name, value));
    }
  }
}
