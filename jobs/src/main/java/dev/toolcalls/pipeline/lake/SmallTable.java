package dev.toolcalls.pipeline.lake;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads every row of a small Delta table (one row per input file, say) on the driver with Delta
 * Kernel, without a Spark job: in a fresh JVM the first Spark job and Delta's snapshot
 * reconstruction cost seconds, which a nightly run that finds nothing new should not pay. Columns
 * are read by name into the given Spark schema; a column the table does not have yet (added in a
 * later release) comes back null. Flat columns of simple types only.
 */
public final class SmallTable {
  private SmallTable() {}

  public static List<Row> readAll(Configuration hadoop, String tablePath, StructType schema) {
    Engine engine = DefaultEngine.create(hadoop);
    List<Row> out = new ArrayList<>();
    try {
      Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
      io.delta.kernel.types.StructType tableSchema = snapshot.getSchema(engine);
      Scan scan = snapshot.getScanBuilder(engine).build();
      io.delta.kernel.data.Row scanState = scan.getScanState(engine);
      io.delta.kernel.types.StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
      try (CloseableIterator<FilteredColumnarBatch> scanFiles = scan.getScanFiles(engine)) {
        while (scanFiles.hasNext()) {
          try (CloseableIterator<io.delta.kernel.data.Row> files = scanFiles.next().getRows()) {
            while (files.hasNext()) {
              io.delta.kernel.data.Row scanFile = files.next();
              FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
              // Both closed: transformPhysicalData can fail before its result (which closes physical) exists.
              try (CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler().readParquetFiles(singleton(file), physicalSchema, Optional.empty());
                  CloseableIterator<FilteredColumnarBatch> data = Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
                while (data.hasNext()) {
                  try (CloseableIterator<io.delta.kernel.data.Row> rows = data.next().getRows()) {
                    while (rows.hasNext()) out.add(toSpark(rows.next(), tableSchema, schema));
                  }
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + tablePath + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static Row toSpark(io.delta.kernel.data.Row row, io.delta.kernel.types.StructType tableSchema, StructType schema) {
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < values.length; i++) {
      StructField f = schema.fields()[i];
      int at = tableSchema.indexOf(f.name());
      values[i] = at < 0 || row.isNullAt(at) ? null : value(row, at, f.dataType());
    }
    return new GenericRowWithSchema(values, schema);
  }

  private static Object value(io.delta.kernel.data.Row row, int at, DataType type) {
    if (type.equals(DataTypes.StringType)) return row.getString(at);
    if (type.equals(DataTypes.LongType)) return row.getLong(at);
    if (type.equals(DataTypes.IntegerType)) return row.getInt(at);
    if (type.equals(DataTypes.DoubleType)) return row.getDouble(at);
    if (type.equals(DataTypes.BooleanType)) return row.getBoolean(at);
    if (type.equals(DataTypes.TimestampType)) {
      long micros = row.getLong(at); // Kernel's timestamps: microseconds since the epoch
      Timestamp t = new Timestamp(Math.floorDiv(micros, 1000));
      t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
      return t;
    }
    if (type.equals(DataTypes.DateType)) return Date.valueOf(java.time.LocalDate.ofEpochDay(row.getInt(at)));
    throw new IllegalArgumentException("SmallTable reads flat simple columns, not " + type);
  }

  private static CloseableIterator<FileStatus> singleton(FileStatus file) {
    return new CloseableIterator<>() {
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public FileStatus next() {
        if (done) throw new java.util.NoSuchElementException();
        done = true;
        return file;
      }

      @Override
      public void close() {}
    };
  }
}
