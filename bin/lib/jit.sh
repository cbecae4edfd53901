# Sourced by bin/pipeline: the estimate of a run's work that picks its JIT (PIPELINE_JIT=auto).
# jobs/.../cli/JitChoice.java applies the same rule to the JVMs bench starts; JitChoiceTest runs
# this file against it on the same folders, so the two cannot drift apart unnoticed.
#
# The work is the bytes of the files the run will read: for extract and run, the log files
# (*.jsonl, *.jsonl.gz) under --logs whose name's date is inside --date/--since, the journals (*.md)
# and the sessions (*.jsonl); none of these for a nightly run (run without --full, extract
# --changed) once the lake has an ingest_log, since it then reads only what changed. Plus, for run,
# export and stats, which read all of it, ten times the lake's examples table (compressed Parquet
# holds about a tenth of the logs it came from).

# Bytes of the files under $1 (links followed) whose name ends in one of $2 (a |-separated list of
# suffixes) and whose name's date, if it has one, is $4 (when set) and not before $3.
jit_folder_bytes() {
  { find -L "$1" -type f -printf '%s\t%f\n' 2>/dev/null || true; } | awk -F'\t' -v suffixes="$2" -v since="$3" -v day="$4" '
    BEGIN { n_suffixes = split(suffixes, suffix, "|") }
    { name = $2; kept = 0
      for (i = 1; i <= n_suffixes; i++) if (length(name) >= length(suffix[i]) && substr(name, length(name) - length(suffix[i]) + 1) == suffix[i]) kept = 1
      if (!kept) next
      d = ""; if (match(name, /[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]/)) d = substr(name, RSTART, RLENGTH)
      if (d != "" && ((day != "" && d != day) || (since != "" && d < since))) next
      n += $1 }
    END { printf "%.0f\n", n } # not %d: mawk caps it at 2^31 - 1'
}

# The work of `bin/pipeline "$@"`, in bytes.
jit_work_bytes() {
  local command="${1:-}" next="" a logs="" journals="" sessions="" lake="" since="" day="" changed=0 bytes=0
  [ "$command" = run ] && changed=1
  for a in "$@"; do
    if [ -n "$next" ]; then printf -v "$next" '%s' "$a"; next=""; continue; fi
    case "$a" in
      --logs=*) logs="${a#*=}" ;; --journals=*) journals="${a#*=}" ;; --sessions=*) sessions="${a#*=}" ;;
      --lake=*) lake="${a#*=}" ;; --since=*) since="${a#*=}" ;; --date=*) day="${a#*=}" ;;
      --logs|--journals|--sessions|--lake|--since) next="${a#--}" ;;
      --date) next=day ;;
      --changed) changed=1 ;;
      --full) changed=0 ;;
    esac
  done
  case "$command" in
    extract|run)
      if ! { [ "$changed" = 1 ] && [ -n "$lake" ] && [ -d "$lake/ingest_log" ]; }; then
        [ -n "$logs" ] && bytes=$((bytes + $(jit_folder_bytes "$logs" ".jsonl|.jsonl.gz" "$since" "$day")))
        [ -n "$journals" ] && bytes=$((bytes + $(jit_folder_bytes "$journals" ".md" "" "")))
        [ -n "$sessions" ] && bytes=$((bytes + $(jit_folder_bytes "$sessions" ".jsonl" "" "")))
      fi ;;
  esac
  case "$command" in
    run|export|stats) [ -n "$lake" ] && bytes=$((bytes + 10 * $(jit_folder_bytes "$lake/examples" ".parquet" "" ""))) ;;
  esac
  echo "$bytes"
}
