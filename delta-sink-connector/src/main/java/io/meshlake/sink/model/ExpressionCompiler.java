package io.meshlake.sink.model;

import io.meshlake.sink.model.Operators.Comparison;
import io.meshlake.sink.model.SqlValues.Kind;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Primitive;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExtractExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.Select;

/** Compiles one JSqlParser expression tree, in one {@link Scope}, into a typed evaluator tree. */
final class ExpressionCompiler {

  private final Scope scope;

  ExpressionCompiler(Scope scope) {
    this.scope = scope;
  }

  /** A predicate (WHERE, CASE WHEN, AND/OR/NOT operand): BOOLEAN, or a bare NULL. */
  Typed condition(Expression e, String clause) {
    Typed t = compile(e);
    if (t.type() != null && t.type() != Primitive.BOOLEAN) {
      throw new CompileError(clause + " must be a BOOLEAN condition, but " + e + " is " + t.type().sqlName());
    }
    return SqlTypes.coerce(t, Primitive.BOOLEAN);
  }

  Typed compile(Expression e) {
    if (e instanceof Column c) {
      return column(c);
    }
    if (e instanceof LongValue v) {
      return integer(new BigInteger(v.getStringValue()), e);
    }
    if (e instanceof DoubleValue v) {
      return Typed.literal(v.getValue(), Primitive.DOUBLE);
    }
    if (e instanceof StringValue v) {
      if (v.getPrefix() != null && !v.getPrefix().equalsIgnoreCase("N")) {
        throw new CompileError("string literals with prefix " + v.getPrefix() + " are not supported: " + e);
      }
      return Typed.literal(v.getValue().replace("''", "'"), Primitive.STRING);
    }
    if (e instanceof BooleanValue v) {
      return Typed.literal(v.getValue(), Primitive.BOOLEAN);
    }
    if (e instanceof NullValue) {
      return Typed.literal(null, null);
    }
    if (e instanceof ParenthesedExpressionList<?> list) {
      if (list.size() != 1) {
        throw new CompileError("row values such as " + e + " are not supported");
      }
      return compile(list.get(0));
    }
    if (e instanceof SignedExpression s) {
      return signed(s);
    }
    if (e instanceof Addition || e instanceof Subtraction || e instanceof Multiplication || e instanceof Modulo) {
      BinaryExpression b = (BinaryExpression) e;
      char op = e instanceof Addition ? '+' : e instanceof Subtraction ? '-' : e instanceof Multiplication ? '*' : '%';
      return arithmetic(op, b);
    }
    if (e instanceof Division d) {
      Typed[] o = numericOperands(d, "/");
      return Typed.of(new Operators.Divide(o[0].eval(), o[1].eval()), Primitive.DOUBLE, o);
    }
    if (e instanceof IntegerDivision d) {
      Typed[] o = numericOperands(d, "DIV");
      return Typed.of(new Operators.IntegralDivide(o[0].eval(), o[1].eval()), Primitive.LONG, o);
    }
    if (e instanceof Concat c) {
      List<Typed> parts = new ArrayList<>();
      concatOperands(c, parts);
      Eval[] evals = new Eval[parts.size()];
      for (int i = 0; i < evals.length; i++) {
        evals[i] = Functions.asString(parts.get(i), e.toString()).eval();
      }
      return Typed.of(new Operators.Concat(evals), Primitive.STRING, parts);
    }
    if (e instanceof EqualsTo || e instanceof NotEqualsTo || e instanceof GreaterThan || e instanceof GreaterThanEquals
        || e instanceof MinorThan || e instanceof MinorThanEquals) {
      return comparison((BinaryExpression) e);
    }
    if (e instanceof AndExpression a) {
      Typed l = condition(a.getLeftExpression(), "AND operand");
      Typed r = condition(a.getRightExpression(), "AND operand");
      return Typed.of(new Operators.And(l.eval(), r.eval()), Primitive.BOOLEAN, l, r);
    }
    if (e instanceof OrExpression o) {
      Typed l = condition(o.getLeftExpression(), "OR operand");
      Typed r = condition(o.getRightExpression(), "OR operand");
      return Typed.of(new Operators.Or(l.eval(), r.eval()), Primitive.BOOLEAN, l, r);
    }
    if (e instanceof NotExpression n) {
      Typed in = condition(n.getExpression(), "NOT operand");
      return Typed.of(new Operators.Not(in.eval()), Primitive.BOOLEAN, in);
    }
    if (e instanceof IsNullExpression n) {
      Typed in = compile(n.getLeftExpression());
      return Typed.of(new Operators.IsNull(in.eval(), n.isNot()), Primitive.BOOLEAN, in);
    }
    if (e instanceof IsBooleanExpression b) {
      Typed in = condition(b.getLeftExpression(), "IS " + (b.isTrue() ? "TRUE" : "FALSE") + " operand");
      return Typed.of(new Operators.IsBoolean(in.eval(), b.isTrue(), b.isNot()), Primitive.BOOLEAN, in);
    }
    if (e instanceof InExpression in) {
      return in(in);
    }
    if (e instanceof LikeExpression like) {
      return like(like);
    }
    if (e instanceof Between b) {
      return between(b);
    }
    if (e instanceof CaseExpression c) {
      return caseExpression(c);
    }
    if (e instanceof CastExpression c) {
      return cast(c);
    }
    if (e instanceof Function f) {
      return function(f);
    }
    if (e instanceof TrimFunction t) {
      return trim(t);
    }
    if (e instanceof AnalyticExpression) {
      throw new CompileError("window functions are not allowed in a streaming model (" + e
          + "): each event is mapped on its own; use an enhanced table for windows");
    }
    if (e instanceof Select || e instanceof ExistsExpression || e instanceof AnyComparisonExpression) {
      throw new CompileError("subqueries are not allowed in a streaming model: " + e);
    }
    if (e instanceof TimeKeyExpression) {
      throw nonDeterministic(e.toString());
    }
    if (e instanceof JdbcParameter || e instanceof JdbcNamedParameter) {
      throw new CompileError("query parameters are not allowed in a model: " + e);
    }
    if (e instanceof IntervalExpression) {
      throw new CompileError("INTERVAL is not supported in a streaming model: " + e);
    }
    if (e instanceof ExtractExpression) {
      throw new CompileError("EXTRACT is not supported: " + e + "; use YEAR(x), MONTH(x) or DAY(x)");
    }
    throw new CompileError("unsupported expression " + e + " (" + e.getClass().getSimpleName()
        + "); see io.meshlake.sink.model for the SQL that models may use");
  }

  private static CompileError nonDeterministic(String text) {
    return new CompileError(text + " is non-deterministic and not allowed in a model: replaying the same events must give the same rows;"
        + " use a timestamp of the entity or the envelope");
  }

  // ---- columns and literals -------------------------------------------------------------------

  private Typed column(Column c) {
    if (c.getArrayConstructor() != null) {
      throw new CompileError("subscripts such as " + c + " are not supported; use ELEMENT_AT(array, position) (1-based)");
    }
    List<String> path = new ArrayList<>();
    Table table = c.getTable();
    if (table != null && table.getNameParts() != null) {
      List<String> parts = table.getNameParts();
      for (int i = parts.size() - 1; i >= 0; i--) {
        if (parts.get(i) != null) {
          path.add(identifier(parts.get(i), c));
        }
      }
    }
    path.add(identifier(c.getColumnName(), c));
    return scope.resolve(path, c.toString());
  }

  /** An identifier, unquoted: `backticks` quote identifiers; "double quotes" are rejected as ambiguous. */
  static String identifier(String raw, Object context) {
    if (raw.length() >= 2 && raw.startsWith("`") && raw.endsWith("`")) {
      return raw.substring(1, raw.length() - 1);
    }
    if (raw.startsWith("\"")) {
      throw new CompileError(raw + " in " + context + " is ambiguous: write 'text' for a string and `name` for a column");
    }
    return raw;
  }

  private static Typed integer(BigInteger value, Expression e) {
    if (value.bitLength() < 32) {
      return Typed.literal(value.intValue(), Primitive.INT);
    }
    if (value.bitLength() < 64) {
      return Typed.literal(value.longValue(), Primitive.LONG);
    }
    throw new CompileError("integer literal " + e + " is out of range for BIGINT");
  }

  private Typed signed(SignedExpression s) {
    if (s.getSign() == '-' && s.getExpression() instanceof LongValue v) {
      return integer(new BigInteger(v.getStringValue()).negate(), s);
    }
    Typed in = compile(s.getExpression());
    if (in.type() != null && !SqlTypes.isNumeric(in.type())) {
      throw new CompileError("unary " + s.getSign() + " needs a number, but " + s.getExpression() + " is " + in.type().sqlName());
    }
    return switch (s.getSign()) {
      case '+' -> in;
      case '-' -> Typed.of(new Operators.Negate((Primitive) (in.type() == null ? Primitive.INT : in.type()), in.eval()), in.type(), in);
      default -> throw new CompileError("operator " + s.getSign() + " is not supported: " + s);
    };
  }

  // ---- operators ------------------------------------------------------------------------------

  private Typed[] numericOperands(BinaryExpression b, String op) {
    Typed l = compile(b.getLeftExpression());
    Typed r = compile(b.getRightExpression());
    for (Typed t : new Typed[] {l, r}) {
      if (t.type() != null && !SqlTypes.isNumeric(t.type())) {
        throw new CompileError("operator " + op + " needs numbers, but " + (t == l ? b.getLeftExpression() : b.getRightExpression())
            + " is " + t.type().sqlName() + " in " + b + (op.equals("+") && t.type() == Primitive.STRING ? "; use || or CONCAT for strings" : "; use CAST"));
      }
    }
    return new Typed[] {l, r};
  }

  private Typed arithmetic(char op, BinaryExpression b) {
    Typed[] o = numericOperands(b, String.valueOf(op));
    ColumnType type = SqlTypes.widerNumeric(o[0].type(), o[1].type());
    Primitive kind = (Primitive) (type == null ? Primitive.INT : type);
    return Typed.of(new Operators.Arithmetic(op, kind, o[0].eval(), o[1].eval()), type, o);
  }

  private void concatOperands(Expression e, List<Typed> out) {
    if (e instanceof Concat c) {
      concatOperands(c.getLeftExpression(), out);
      concatOperands(c.getRightExpression(), out);
    } else {
      out.add(compile(e));
    }
  }

  private Typed comparison(BinaryExpression b) {
    if (b.getRightExpression() instanceof AnyComparisonExpression || b.getRightExpression() instanceof Select) {
      throw new CompileError("subqueries are not allowed in a streaming model: " + b);
    }
    Comparison op = b instanceof EqualsTo ? Comparison.EQ : b instanceof NotEqualsTo ? Comparison.NE
        : b instanceof GreaterThan ? Comparison.GT : b instanceof GreaterThanEquals ? Comparison.GE
        : b instanceof MinorThan ? Comparison.LT : Comparison.LE;
    Typed[] p = SqlTypes.comparable(compile(b.getLeftExpression()), compile(b.getRightExpression()), b.toString());
    Kind kind = SqlValues.kind(p[0].type(), p[1].type(), b.toString());
    return Typed.of(new Operators.Compare(op, kind, p[0].eval(), p[1].eval()), Primitive.BOOLEAN, p);
  }

  private Typed in(InExpression in) {
    if (!(in.getRightExpression() instanceof ExpressionList<?> list) || in.getRightExpression() instanceof Select) {
      throw new CompileError("subqueries are not allowed in a streaming model: " + in);
    }
    Typed value = compile(in.getLeftExpression());
    String text = in.toString();
    List<Typed> items = new ArrayList<>();
    ColumnType common = value.type();
    for (Expression item : list) {
      Typed t = compile(item);
      Typed[] p = SqlTypes.comparable(value, t, text);
      if (p[0] != value) {
        throw new CompileError("cannot compare " + SqlTypes.name(value.type()) + " with " + SqlTypes.name(t.type()) + " in " + text + "; use CAST");
      }
      items.add(p[1]);
      if (SqlTypes.isNumeric(common) && SqlTypes.isNumeric(p[1].type())) {
        common = SqlTypes.widerNumeric(common, p[1].type());
      } else if (common == null) {
        common = p[1].type();
      }
    }
    Kind kind = SqlValues.kind(value.type(), common, text);
    List<Typed> inputs = new ArrayList<>(items);
    inputs.add(value);
    boolean allConstant = items.stream().allMatch(Typed::constant);
    if (allConstant && (kind == Kind.STRING || (kind == Kind.LONG && SqlTypes.isIntegral(common) && SqlTypes.isIntegral(value.type())))) {
      boolean hasNull = items.stream().anyMatch(t -> t.value() == null);
      if (kind == Kind.STRING) {
        Set<String> set = new HashSet<>();
        items.stream().filter(t -> t.value() != null).forEach(t -> set.add((String) t.value()));
        return Typed.of(new Operators.InStrings(value.eval(), set, hasNull, in.isNot()), Primitive.BOOLEAN, inputs);
      }
      long[] longs = items.stream().filter(t -> t.value() != null).mapToLong(t -> ((Number) t.value()).longValue()).toArray();
      return Typed.of(new Operators.InLongs(value.eval(), longs, hasNull, in.isNot()), Primitive.BOOLEAN, inputs);
    }
    Eval[] evals = items.stream().map(Typed::eval).toArray(Eval[]::new);
    return Typed.of(new Operators.InList(value.eval(), evals, kind, in.isNot()), Primitive.BOOLEAN, inputs);
  }

  private Typed like(LikeExpression like) {
    String text = like.toString();
    LikeExpression.KeyWord keyword = like.getLikeKeyWord();
    boolean regex = keyword == LikeExpression.KeyWord.RLIKE || keyword == LikeExpression.KeyWord.REGEXP
        || keyword == LikeExpression.KeyWord.REGEXP_LIKE;
    boolean caseInsensitive = keyword == LikeExpression.KeyWord.ILIKE;
    if (!regex && !caseInsensitive && keyword != LikeExpression.KeyWord.LIKE || like.isUseBinary()) {
      throw new CompileError(keyword + " is not supported: " + text + "; use LIKE, ILIKE or RLIKE");
    }
    Typed value = Functions.require(List.of(compile(like.getLeftExpression())), 0, Primitive.STRING, text);
    Typed pattern = Functions.require(List.of(compile(like.getRightExpression())), 0, Primitive.STRING, text);
    char escape = '\\';
    if (like.getEscape() != null) {
      Typed esc = compile(like.getEscape());
      if (!esc.constant() || !(esc.value() instanceof String s) || s.length() != 1) {
        throw new CompileError("ESCAPE must be a single-character string literal in " + text);
      }
      escape = s.charAt(0);
    }
    if (pattern.constant()) {
      if (pattern.value() == null) {
        return Typed.literal(null, Primitive.BOOLEAN);
      }
      String p = (String) pattern.value();
      SqlValues.StringMatcher matcher;
      if (regex) {
        Functions.pattern(p, text);
        matcher = SqlValues.regexFind(p);
      } else {
        matcher = SqlValues.like(p, escape, caseInsensitive);
      }
      return Typed.of(new Operators.Like(value.eval(), matcher, like.isNot()), Primitive.BOOLEAN, value);
    }
    char esc = escape;
    boolean negated = like.isNot();
    return Typed.of(new Eval.Call2(value.eval(), pattern.eval(), (v, p) -> {
      try {
        SqlValues.StringMatcher m = regex ? SqlValues.regexFind((String) p) : SqlValues.like((String) p, esc, caseInsensitive);
        return m.matches((String) v) != negated;
      } catch (java.util.regex.PatternSyntaxException e) {
        return null;
      }
    }), Primitive.BOOLEAN, value, pattern);
  }

  private Typed between(Between b) {
    String text = b.toString();
    Typed value = compile(b.getLeftExpression());
    Typed low = compile(b.getBetweenExpressionStart());
    Typed high = compile(b.getBetweenExpressionEnd());
    ColumnType target = value.type();
    for (Typed t : new Typed[] {low, high}) {
      if (SqlTypes.isTemporal(target) && SqlTypes.isTemporal(t.type())) {
        target = SqlTypes.common(target, t.type(), text);
      }
    }
    if (SqlTypes.isTemporal(target)) {
      value = SqlTypes.coerce(value, target);
      low = SqlTypes.isTemporal(low.type()) ? SqlTypes.coerce(low, target) : low;
      high = SqlTypes.isTemporal(high.type()) ? SqlTypes.coerce(high, target) : high;
    }
    Typed[] lo = SqlTypes.comparable(value, low, text);
    Typed[] hi = SqlTypes.comparable(value, high, text);
    Kind kindLow = SqlValues.kind(value.type(), lo[1].type(), text);
    Kind kindHigh = SqlValues.kind(value.type(), hi[1].type(), text);
    return Typed.of(new Operators.Between(value.eval(), lo[1].eval(), hi[1].eval(), kindLow, kindHigh, b.isNot()),
        Primitive.BOOLEAN, value, lo[1], hi[1]);
  }

  private Typed caseExpression(CaseExpression c) {
    String text = c.toString();
    List<Typed> results = new ArrayList<>();
    for (WhenClause w : c.getWhenClauses()) {
      results.add(compile(w.getThenExpression()));
    }
    Typed otherwise = c.getElseExpression() == null ? null : compile(c.getElseExpression());
    ColumnType type = null;
    for (Typed r : results) {
      type = SqlTypes.common(type, r.type(), text);
    }
    if (otherwise != null) {
      type = SqlTypes.common(type, otherwise.type(), text);
    }
    List<Typed> inputs = new ArrayList<>();
    Eval[] resultEvals = new Eval[results.size()];
    for (int i = 0; i < resultEvals.length; i++) {
      Typed r = SqlTypes.coerce(results.get(i), type);
      resultEvals[i] = r.eval();
      inputs.add(r);
    }
    Eval otherwiseEval = null;
    if (otherwise != null) {
      Typed o = SqlTypes.coerce(otherwise, type);
      otherwiseEval = o.eval();
      inputs.add(o);
    } else {
      inputs.add(Typed.literal(null, type));
    }
    if (c.getSwitchExpression() == null) {
      Eval[] conditions = new Eval[c.getWhenClauses().size()];
      for (int i = 0; i < conditions.length; i++) {
        Typed cond = condition(c.getWhenClauses().get(i).getWhenExpression(), "CASE WHEN");
        conditions[i] = cond.eval();
        inputs.add(cond);
      }
      return Typed.of(new Operators.SearchedCase(conditions, resultEvals, otherwiseEval), type, inputs);
    }
    Typed subject = compile(c.getSwitchExpression());
    List<Typed> candidates = new ArrayList<>();
    ColumnType common = subject.type();
    for (WhenClause w : c.getWhenClauses()) {
      Typed candidate = compile(w.getWhenExpression());
      candidates.add(candidate);
      if (SqlTypes.isNumeric(common) && SqlTypes.isNumeric(candidate.type())
          || SqlTypes.isTemporal(common) && SqlTypes.isTemporal(candidate.type()) || common == null) {
        common = SqlTypes.common(common, candidate.type(), text);
      }
    }
    if (SqlTypes.isTemporal(common)) {
      subject = SqlTypes.coerce(subject, common);
    }
    Eval[] candidateEvals = new Eval[candidates.size()];
    for (int i = 0; i < candidateEvals.length; i++) {
      Typed candidate = candidates.get(i);
      if (SqlTypes.isTemporal(common) && SqlTypes.isTemporal(candidate.type())) {
        candidate = SqlTypes.coerce(candidate, common);
      }
      Typed[] p = SqlTypes.comparable(subject, candidate, text);
      candidateEvals[i] = p[1].eval();
      inputs.add(p[1]);
    }
    inputs.add(subject);
    Kind kind = SqlValues.kind(common, common, text);
    return Typed.of(new Operators.SimpleCase(subject.eval(), candidateEvals, resultEvals, otherwiseEval, kind), type, inputs);
  }

  private Typed cast(CastExpression c) {
    String typeName = c.getColDataType().toString();
    Primitive target = Casts.typeNamed(typeName);
    if (target == null) {
      throw new CompileError("CAST to " + typeName + " is not supported in " + c + "; types are " + Casts.TYPE_NAMES);
    }
    Typed in = compile(c.getLeftExpression());
    Typed out;
    try {
      out = Typed.of(new Eval.Call1(in.eval(), Casts.conversion(in.type(), target)), target, in);
    } catch (CompileError e) {
      throw new CompileError(e.getMessage() + " in " + c);
    }
    boolean literalSyntax = c.keyword == null && c.getLeftExpression() instanceof StringValue;
    if (out.constant() && out.value() == null && in.value() != null && literalSyntax) {
      throw new CompileError("'" + in.value() + "' is not a valid " + target.sqlName() + " literal in " + c);
    }
    return out;
  }

  private Typed function(Function f) {
    String text = f.toString();
    if (f.getMultipartName() != null && f.getMultipartName().size() > 1) {
      throw new CompileError("unknown function " + f.getName() + " in " + text + "; models may call " + String.join(", ", Functions.NAMES));
    }
    String name = identifier(f.getName(), text).toUpperCase(Locale.ROOT);
    if (Functions.AGGREGATES.contains(name) || f.isAllColumns() || f.isDistinct()) {
      throw new CompileError("aggregate function " + text + " is not allowed in a streaming model: each event is mapped on its own"
          + " (no GROUP BY or aggregates); aggregations belong to enhanced views and tables");
    }
    if (Functions.WINDOW_FUNCTIONS.contains(name)) {
      throw new CompileError("window functions are not allowed in a streaming model (" + text + ")");
    }
    if (Functions.NON_DETERMINISTIC.contains(name)) {
      throw nonDeterministic(text);
    }
    if (Functions.GENERATORS.contains(name)) {
      throw new CompileError(text + " is a generator: write it as FROM <source> LATERAL VIEW " + name + "(<array>) <alias> AS <column>");
    }
    if (f.getNamedParameters() != null || f.getKeep() != null || f.getOrderByElements() != null || f.isIgnoreNulls()
        || f.getHavingClause() != null || f.getLimit() != null) {
      throw new CompileError("function call modifiers are not supported: " + text);
    }
    List<Typed> args = new ArrayList<>();
    if (f.getParameters() != null) {
      for (Expression p : f.getParameters()) {
        args.add(compile(p));
      }
    }
    Typed result = Functions.call(name, args, text);
    if (f.getAttribute() != null) {
      String member = f.getAttributeName() != null ? f.getAttributeName() : f.getAttributeColumn().getColumnName();
      result = Scope.member(result, text.substring(0, text.lastIndexOf('.')), identifier(member, text), text);
    }
    return result;
  }

  private Typed trim(TrimFunction t) {
    String text = t.toString();
    Typed chars;
    Typed string;
    if (t.getFromExpression() != null) {
      string = compile(t.getFromExpression());
      chars = t.getExpression() == null ? Typed.literal(" ", Primitive.STRING) : compile(t.getExpression());
    } else {
      string = compile(t.getExpression());
      chars = Typed.literal(" ", Primitive.STRING);
    }
    string = Functions.require(List.of(string), 0, Primitive.STRING, text);
    chars = Functions.require(List.of(chars), 0, Primitive.STRING, text);
    boolean leading = t.getTrimSpecification() != TrimFunction.TrimSpecification.TRAILING;
    boolean trailing = t.getTrimSpecification() != TrimFunction.TrimSpecification.LEADING;
    if (chars.constant()) {
      if (chars.value() == null) {
        return Typed.literal(null, Primitive.STRING);
      }
      String set = (String) chars.value();
      return Functions.unaryString(string, Primitive.STRING, s -> SqlValues.trim(s, set, leading, trailing));
    }
    return Typed.of(new Eval.Call2(string.eval(), chars.eval(), (s, c) -> SqlValues.trim((String) s, (String) c, leading, trailing)),
        Primitive.STRING, string, chars);
  }
}
