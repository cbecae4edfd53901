package dev.toolcalls.pipeline.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * The unified record: every column of {@code training_examples}, in order, with the JSON-text
 * columns (game state, context, tool call arguments and results) as JSON values again.
 */
public final class UnifiedRenderer {
  private static final Set<String> JSON_TEXT_COLUMNS = Set.of("game_state", "context");

  private UnifiedRenderer() {}

  public static String render(Row r) {
    ObjectNode o = Json.NODES.objectNode();
    StructField[] fields = r.schema().fields();
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i].name();
      if (r.isNullAt(i)) {
        o.putNull(name);
      } else if (name.equals("tool_calls")) {
        ArrayNode calls = o.putArray(name);
        for (Row c : r.<Row>getList(i)) {
          ObjectNode call = calls.addObject();
          call.put("tool", c.getString(0));
          call.set("arguments", Json.value(c.getString(1)));
          call.set("result", Json.value(c.getString(2)));
          if (c.isNullAt(3)) call.putNull("is_error");
          else call.put("is_error", c.getBoolean(3));
        }
      } else if (JSON_TEXT_COLUMNS.contains(name)) {
        o.set(name, Json.value(r.getString(i)));
      } else {
        Object v = r.get(i);
        if (v instanceof scala.collection.Seq<?> seq) {
          array(o.putArray(name), scala.collection.JavaConverters.seqAsJavaList(seq));
        } else if (v instanceof List<?> list) {
          array(o.putArray(name), list);
        } else if (v instanceof Row struct) {
          struct(o.putObject(name), struct);
        } else if (v instanceof Double d) {
          o.put(name, d);
        } else if (v instanceof Long l) {
          o.put(name, l);
        } else if (v instanceof Integer n) {
          o.put(name, n);
        } else if (v instanceof Boolean b) {
          o.put(name, b);
        } else if (v instanceof java.sql.Timestamp t) {
          o.put(name, t.toInstant().toString());
        } else if (v instanceof java.time.Instant t) {
          o.put(name, t.toString());
        } else {
          o.put(name, v.toString());
        }
      }
    }
    return Json.write(o);
  }

  /** A struct (`tokens`, a problem of `validation`) as an object of its fields: numbers as numbers, the rest as text. */
  private static void struct(ObjectNode e, Row struct) {
    String[] names = struct.schema().fieldNames();
    for (int i = 0; i < names.length; i++) {
      Object v = struct.get(i);
      if (v == null) e.putNull(names[i]);
      else if (v instanceof Integer n) e.put(names[i], n);
      else if (v instanceof Long n) e.put(names[i], n);
      else e.put(names[i], v.toString());
    }
  }

  /** Strings as strings; structs (the problems of `validation`) as objects of their fields. */
  private static void array(ArrayNode a, List<?> values) {
    for (Object x : values) {
      if (x instanceof Row struct) {
        struct(a.addObject(), struct);
      } else {
        a.add(String.valueOf(x));
      }
    }
  }
}
