#!/usr/bin/env bash
# Startup and memory: time from process start to /readyz answering 200, and peak
# RSS (VmHWM), for the embedded notice and synthetic corpora. The first start
# builds the index; the restarts open it (the manifest's fingerprint matches), so
# they show what a restart costs. RSS is read after the restarts have answered
# the fixed query mix once.
#
#   bench/startup.sh [SIZE…]      # default: notice 1000 10000 100000
#
# Needs curl and Go with cgo. Serves on 127.0.0.1:28090 only (BENCH_PORT moves it).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${*:-notice 1000 10000 100000}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/policysearch-bench-startup}
mkdir -p "$work"
port=${BENCH_PORT:-28090}
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "port $port is in use" >&2; exit 1
fi
CGO_ENABLED=1 go build -o "$work/policysearch" ./cmd/policysearch
go build -o "$work/prep" ./bench/prep

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true' EXIT

# start DATA CORPUS: starts a server, waits for /readyz and sets $pid and $ms
# (milliseconds from launch to ready).
start() {
  local t0 t1
  t0=$(date +%s%N)
  "$work/policysearch" serve --addr 127.0.0.1:$port --data "$1" ${2:+--corpus "$2"} > "$work/serve.log" 2>&1 &
  pid=$!
  t1=$("$work/prep" ready --timeout 1200s "http://127.0.0.1:$port/readyz")
  ms=$(( (t1 - t0) / 1000000 ))
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
hwm() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status"; }

echo "| corpus | text MB | first start (build) ms | peak RSS building MB | restart to ready ms (median of 3) | peak RSS after restart and the query mix MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for size in $sizes; do
  dir="" mb=0.024
  if [ "$size" != notice ]; then
    dir="$work/corpus-$size"
    "$work/policysearch" gen --clauses "$size" --seed 1 --out "$dir" > /dev/null
    mb=$(du -sb "$dir" | awk '{printf "%.1f", $1/1e6}')
  fi
  data="$work/data-$size"
  rm -rf "$data"
  start "$data" "$dir"
  first=$ms build_rss=$(hwm)
  stop
  "$work/prep" corpus ${dir:+--corpus "$dir"} --out "$work/mix-$size" > /dev/null
  times=() rss=0
  for i in 1 2 3; do
    start "$data" "$dir"
    times+=("$ms")
    "$work/prep" body --server "http://127.0.0.1:$port" --paths "$work/mix-$size/paths.txt" --out /dev/null > /dev/null
    r=$(hwm); [ "$r" -gt "$rss" ] && rss=$r
    stop
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  echo "| $size | $mb | $first | $build_rss | $median (${times[*]}) | $rss |"
done
echo
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -srm)"
