package dev.toolcalls.pipeline.source;

import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.types.StructType;

/**
 * One source's first pass as the extract job plans it on the driver: which files, the per-file
 * reader the executors run, and the schema of the example rows that reader emits.
 *
 * @param source value of the {@code source} column
 * @param input the folder as the user gave it (for the run summary)
 * @param files the files to read, relative paths unique within the source
 * @param reader one call per file, streaming it once; emits examples, quarantine rows, hand-overs
 *     and exactly one report
 * @param exampleSchema {@code ExamplesSchema.EXTRACTED} or {@code ExamplesSchema.PARSED}
 */
public record SourceRead(String source, String input, List<InputFile> files, FlatMapFunction<InputFile, ExtractRecord> reader, StructType exampleSchema) {}
