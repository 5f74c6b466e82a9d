# Sourced by bench/admissions, bench/policy-evaluate and bench/compare-builds: builds the bench
# server (traingate with the /_bench/* baselines mounted, bench/Sources/BenchServer), starts and
# stops it on a scratch data directory, and runs one wrk phase against it, reporting the
# server's CPU time per request. The caller sets `port` and `connections` and runs from the
# repository root.

bench_server=bench/.build/release/traingate-bench-server

build_bench_server() {
  swift build -c release --package-path bench --product traingate-bench-server >/dev/null
}

bench_data=$(mktemp -d)
server=
trap 'stop_server; rm -rf "$bench_data"' EXIT

# start_server BINARY DATA-SUBDIR [NAME=VALUE...]: a server on $port with a fixed master key.
# TRAINGATE_BENCHMARK_ROUTES mounted the baselines in binaries built before bench/ was a package
# of its own, so that BASELINE can name one; later binaries ignore it.
start_server() {
  local binary=$1 dir="$bench_data/$2"; shift 2
  mkdir -p "$dir"
  env TRAINGATE_BENCHMARK_ROUTES=true TRAINGATE_LOG_LEVEL=warning TRAINGATE_MASTER_KEY=$(printf 'ab%.0s' {1..32}) "$@" \
    "$binary" serve --port "$port" --data-dir "$dir" > "$dir/server.log" 2>&1 &
  server=$!
  # START_TIMEOUT_S: a start that migrates a large store takes longer than the default 10 s.
  for _ in $(seq $(( ${START_TIMEOUT_S:-10} * 10 ))); do grep -q "listening" "$dir/server.log" && return; sleep 0.1; done
  echo "server did not start" >&2; cat "$dir/server.log" >&2; exit 1
}
# Always succeeds (it also runs from the EXIT trap, under set -e, when no server is left).
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; server=; fi
}

# The server's user + system CPU time in clock ticks (fields 14 and 15 of /proc/<pid>/stat).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
field() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" <<<"$1"; }

# run PATH SECONDS [DELAY_MS]: one wrk phase with bench/admissions.lua's bodies; prints wrk's
# RESULT line plus cpu_us, the server's CPU time per answered request. Any answer but 2xx stops
# the run: a benchmark of errors measures nothing.
run() {
  local before result requests ticks
  before=$(cpu_ticks)
  result=$(BENCH_PATH=$1 BENCH_DELAY_MS=${3:-0} wrk -t2 -c"$connections" -d"$2s" --latency -s bench/admissions.lua \
    "http://127.0.0.1:$port" | grep '^RESULT')
  ticks=$(( $(cpu_ticks) - before ))
  requests=$(field "$result" requests)
  [ "${requests:-0}" -gt 0 ] || { echo "no requests answered on $1" >&2; return 1; }
  [ "$(field "$result" non2xx)" = 0 ] || { echo "non-2xx answers on $1: $result" >&2; return 1; }
  echo "$result cpu_us=$(python3 -c "print(round($ticks * 1e6 / $(getconf CLK_TCK) / $requests, 1))")"
}
