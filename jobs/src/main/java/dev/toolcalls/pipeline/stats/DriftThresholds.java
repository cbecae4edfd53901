package dev.toolcalls.pipeline.stats;

import dev.toolcalls.pipeline.config.BadInputException;
import dev.toolcalls.pipeline.config.PipelineConfig;

/**
 * When a day counts as drifted against the days before it ({@code stats.drift} in conf/): a change
 * larger than a threshold raises the flag. Changes are absolute: quality and error rate are both
 * within 0..1, and so is the total variation distance of the tag mix.
 */
public record DriftThresholds(int baselineDays, double meanQualityChange, double errorRateChange, double tagTvd) {
  public static DriftThresholds from(PipelineConfig config) {
    DriftThresholds t = new DriftThresholds(
        config.node("stats.drift.baseline_days").asInt(7),
        config.node("stats.drift.mean_quality_change").asDouble(0.05),
        config.node("stats.drift.error_rate_change").asDouble(0.05),
        config.node("stats.drift.tag_tvd").asDouble(0.2));
    if (t.baselineDays < 1) throw new BadInputException("stats.drift.baseline_days must be 1 or more");
    return t;
  }
}
