# Sourced by bin/pipeline: the class-data archive (Java's AppCDS) that makes each run start faster.
#
# A run loads some 20,000 classes (Spark, Delta, Parquet, Jackson) from the jars and verifies
# them, in every fresh JVM. A dynamic archive (-XX:ArchiveClassesAtExit, Java 13+) holds them
# already parsed and verified, mapped from one file: a 1.3 MB extract took 8.6-9.0 s with it and
# 11.7 s without, a 100 MB one 16.7 s instead of 25.4-26.3 s; a tiny export 26.7 s instead of
# 33.5 s. The archive is trained once per build by a nightly `run` (extract, export, stats) over
# one generated day in a throwaway folder, and mapped by every later run; the JVM checks the jars
# it was made from and ignores an archive that no longer matches them. PIPELINE_CDS=off turns it off.

# Whether the command line starts Spark (help and version never train the archive).
cds_wanted() {
  local a
  for a in "$@"; do
    case "$a" in -h|--help|-V|--version) return 1 ;; esac
  done
  case "${1:-}" in
    extract|sql|serve-sql|enrich|export|stats|report|diff|run|status|maintain|forget|demo|bench) return 0 ;;
    *) return 1 ;;
  esac
}

# Whether a JVM with these options ($@) may map the archive: not with a JFR recording or a Java
# agent. Their class file load hook crashes JDK 17 (17.0.15) on the first class it takes from a
# dynamic archive (SIGSEGV in KlassFactory::check_shared_class_file_load_hook); measured here with
# -XX:StartFlightRecording. Such a run goes without the archive, a little slower to start.
cds_fits_options() {
  local o
  for o in "$@"; do
    case "$o" in -XX:StartFlightRecording*|-XX:+FlightRecorder|-agentlib:*|-agentpath:*|-javaagent:*) return 1 ;; esac
  done
  return 0
}

# What the archive depends on besides the jar's time: the JDK, and the jar and library files.
cds_fingerprint() {
  local jar="$1" lib="$2"
  readlink -f "$(command -v java)" 2>/dev/null || echo java
  stat -c '%n %s %Y' "$jar" "$lib"/* 2>/dev/null || true
}

# Trains the archive $1 if it is missing, older than the jar $2, or made for other jars or another
# JDK (fingerprint in $1.key; $3 is the library folder). The rest of the arguments are the java
# command up to (not including) the main class. Never fails the run: an archive that could not be
# made is reported and not tried again for that build ($1.failed: a JDK without its base CDS
# archive, say, would otherwise pay the training on every run).
cds_train_if_stale() {
  local archive="$1" jar="$2" lib="$3"
  shift 3
  local fingerprint
  fingerprint="$(cds_fingerprint "$jar" "$lib")"
  # Fresh unless the jar is newer (same-tick times count as fresh: file times are coarse).
  if [ -f "$archive" ] && ! [ "$jar" -nt "$archive" ] && [ "$fingerprint" = "$(cat "$archive.key" 2>/dev/null)" ]; then return 0; fi
  if [ -f "$archive.failed" ] && ! [ "$jar" -nt "$archive.failed" ]; then return 0; fi
  # A read-only install (a shared checkout) could keep neither archive nor marker: never train there.
  [ -w "$(dirname "$archive")" ] || return 0
  # One training at a time; a run that finds one under way goes on without the archive.
  if command -v flock > /dev/null; then
    exec {cds_lock}> "$archive.lock" || return 0
    if ! flock -n "$cds_lock"; then exec {cds_lock}>&-; return 0; fi
  fi
  local work pid status=0
  work="$(mktemp -d "${TMPDIR:-/tmp}/pipeline-cds.XXXXXX")" || return 0
  touch -r "$jar" "$work/stamp" # the jar's time as training starts: a jar rebuilt meanwhile stays newer
  echo "pipeline: training the class-data archive that makes runs start faster (once per build, about a minute; PIPELINE_CDS=off skips it)..." >&2
  # A nightly run over one generated day, with its own pseudonym key in the throwaway folder (never
  # the user's). In the background, so that a stopped launcher stops it too and leaves no folder.
  {
    timeout 600 "$@" dev.toolcalls.pipeline.cli.PipelineCli generate --out "$work/logs" --days 1 --requests-per-day 200 \
      && timeout 600 "$@" -XX:ArchiveClassesAtExit="$work/classes.jsa" '-Xlog:cds*=off' dev.toolcalls.pipeline.cli.PipelineCli \
        run --logs "$work/logs" --lake "$work/lake" --out "$work/out" --conf "privacy.key_file=$work/pseudonym.key"
  } < /dev/null > "$work/training.log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2> /dev/null; wait "$pid" 2> /dev/null; rm -rf "$work"; exit 143' INT TERM
  wait "$pid" || status=$?
  trap - INT TERM
  if [ "$status" = 0 ] && [ -s "$work/classes.jsa" ] \
      && touch -r "$work/stamp" "$work/classes.jsa" \
      && mv -f "$work/classes.jsa" "$archive.$$" && mv -f "$archive.$$" "$archive"; then
    # Renamed into place whole: a run started meanwhile sees the old archive or the new one.
    printf '%s\n' "$fingerprint" > "$archive.key" || true
    rm -f "$archive.failed"
  else
    echo "pipeline: could not train the class-data archive; runs of this build go on without it. Its log:" >&2
    tail -n 20 "$work/training.log" >&2 || true
    rm -f "$archive.$$"
    cp "$work/training.log" "$archive.failed" 2> /dev/null || true
  fi
  rm -rf "$work"
  if [ -n "${cds_lock:-}" ]; then exec {cds_lock}>&-; fi
  return 0
}
