# Sourced by bin/pipeline: the class-data archive (Java's AppCDS) that makes each run start faster.
#
# A run loads some 20,000 classes (Spark, Delta, Parquet, Jackson) from the jars and verifies
# them, in every fresh JVM. A dynamic archive (-XX:ArchiveClassesAtExit, Java 13+) holds them
# already parsed and verified, mapped from one file: a 1.3 MB extract took 8.6-9.0 s with it and
# 11.7 s without, a 100 MB one 16.7 s instead of 25.4-26.3 s; a tiny export 26.7 s instead of 33.5 s. The archive is trained once per build,
# by a one-day demo (extract, review, export, stats: the classes of every command) in a throwaway
# folder, and used by every later run; the JVM checks the jars it was made from and ignores an
# archive that no longer matches them. PIPELINE_CDS=off turns it off.

# Commands that start Spark (the others gain little from the archive and never train it).
cds_wanted() {
  case "${1:-}" in
    extract|sql|serve-sql|enrich|export|stats|report|diff|run|status|maintain|forget|demo|bench) return 0 ;;
    *) return 1 ;;
  esac
}

# Trains the archive $1 if it is missing or older than the jar $2. The rest of the arguments are
# the java command up to (not including) the main class's arguments. Never fails the run: an
# archive that could not be made is reported, and not tried again for that jar ($1.failed: a JDK
# without its base CDS archive, say, would otherwise pay the training on every run).
cds_train_if_stale() {
  local archive="$1" jar="$2"
  shift 2
  # Fresh unless the jar is newer (same-tick times count as fresh: file times are coarse).
  if [ -f "$archive" ] && ! [ "$jar" -nt "$archive" ]; then return 0; fi
  if [ -f "$archive.failed" ] && ! [ "$jar" -nt "$archive.failed" ]; then return 0; fi
  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/pipeline-cds.XXXXXX")" || return 0
  echo "pipeline: training the class-data archive that makes runs start faster (once per build, about 30 s; PIPELINE_CDS=off skips it)..." >&2
  # Its own pseudonym key in the throwaway folder: training must not create the user's key.
  if "$@" -XX:ArchiveClassesAtExit="$work/classes.jsa" -Xlog:cds*=off \
      dev.toolcalls.pipeline.cli.PipelineCli demo --dir "$work/demo" --days 1 \
      --conf "privacy.key_file=$work/pseudonym.key" > "$work/training.log" 2>&1 \
      && [ -s "$work/classes.jsa" ]; then
    # Renamed into place whole: a run started meanwhile sees the old archive or the new one.
    { mv -f "$work/classes.jsa" "$archive.$$" && mv -f "$archive.$$" "$archive" && rm -f "$archive.failed"; } \
      || echo "pipeline: could not put the class-data archive at $archive (runs go on without it)" >&2
  else
    echo "pipeline: could not train the class-data archive; runs of this build go on without it. Its log:" >&2
    tail -n 20 "$work/training.log" >&2 || true
    cp "$work/training.log" "$archive.failed" 2>/dev/null || true
  fi
  rm -rf "$work"
  return 0
}
