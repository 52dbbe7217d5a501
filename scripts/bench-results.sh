# Where a benchmark run's report goes. Sourced by scripts/bench.sh and scripts/bench-failover.sh
# (from the repository's root), not run on its own.
#
#   results_begin BENCHMARK COMMAND_LINE   at the start of the run: its time and load average
#   results_write REPORT_FILE              at the end: a header and the report, to the terminal and
#                                          to bench/results/<UTC timestamp>-<BENCHMARK>.txt
#
# Environment: SWARMDEX_RESULTS_DIR (default bench/results); SWARMDEX_BENCH_OUT, when set, also
# gets the report appended, as every run did to BENCHMARKS.md before bench/results.

results_begin() {
  results_benchmark=$1
  results_command=$2
  results_started=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
  results_stamp=$(date -u '+%Y-%m-%dT%H%M%SZ')
  results_uptime_before=$(uptime | sed 's/^ *//')
}

results_write() {
  local report=$1 dir=${SWARMDEX_RESULTS_DIR:-bench/results} file n=1 commit dirty=""
  mkdir -p "$dir"
  file="$dir/${results_stamp}-${results_benchmark}.txt"
  while [[ -e "$file" ]]; do
    n=$((n + 1))
    file="$dir/${results_stamp}-${results_benchmark}-$n.txt"
  done
  commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
  if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    dirty=" (with uncommitted changes)"
  fi
  {
    echo "# ${results_benchmark}: \`${results_command}\`"
    echo
    echo "- Date: ${results_started} to $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- Commit: ${commit}${dirty}"
    echo "- uptime before: ${results_uptime_before}"
    echo "- uptime after: $(uptime | sed 's/^ *//')"
    echo "- nproc: $(nproc)"
    echo "- java -version:"
    java -version 2>&1 | sed 's/^/      /'
    echo
    cat "$report"
  } | tee "$file"
  if [[ -n "${SWARMDEX_BENCH_OUT:-}" ]]; then
    { echo; cat "$report"; } >>"$SWARMDEX_BENCH_OUT"
    echo "Appended the report to $SWARMDEX_BENCH_OUT"
  fi
  echo "Wrote $file"
}
