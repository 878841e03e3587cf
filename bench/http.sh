#!/usr/bin/env bash
# HTTP benchmark on loopback: policysearch against the framework's limit (echo
# answering a static JSON body of a typical search response's size) and against
# a peer, Groonga's HTTP server with the same clauses (TokenBigram, NormalizerAuto).
#
# For each round and each connection count, every server is driven in turn with
# the same fixed query mix (the relevance checks' queries plus random substrings
# of the corpus), so machine noise hits all of them alike; the order rotates each
# round. policysearch and Groonga are each measured with their results cache on
# and off (POLICYSEARCH_SEARCH_CACHE_MB=0; Groonga's cache_limit 0).
#
#   bench/http.sh [--corpus notice|N] [--duration S] [--rounds R] [--conns "1 8 32 64"]
#
# N is a synthetic corpus of N items (policysearch gen --clauses N --seed 1).
# Needs wrk and groonga (Debian: wrk, groonga-bin; installed here when run as
# root), curl, and Go with cgo. Listens on 127.0.0.1:28080-28083 (BENCH_PORT
# moves them). Only 127.0.0.1 is contacted; every run is bounded
# by --duration and the script stops every process it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

corpus=notice duration=5 rounds=3 conns="1 8 32 64"
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

need() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v groonga >/dev/null || missing+=(groonga-bin)
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "bench/http.sh needs: ${missing[*]} (Debian packages; run as root to install them here)" >&2
    exit 1
  fi
}
need

work=${BENCH_WORK:-${TMPDIR:-/tmp}/policysearch-bench-http}/$corpus
mkdir -p "$work"
base=${BENCH_PORT:-28080} # four ports from here
port_ours=$base port_uncached=$((base + 1)) port_static=$((base + 2)) port_groonga=$((base + 3))
for p in $port_ours $port_uncached $port_static $port_groonga; do
  if curl -s -o /dev/null "http://127.0.0.1:$p/"; then
    echo "port $p is in use; stop what listens there first" >&2
    exit 1
  fi
done

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "== building (go build, cgo)"
CGO_ENABLED=1 go build -o "$work/policysearch" ./cmd/policysearch
go build -o "$work/staticjson" ./bench/staticjson
go build -o "$work/prep" ./bench/prep

corpus_dir=""
if [ "$corpus" != notice ]; then
  corpus_dir="$work/corpus"
  "$work/policysearch" gen --clauses "$corpus" --seed 1 --out "$corpus_dir"
fi

echo "== indexing"
"$work/policysearch" index --data "$work/data" ${corpus_dir:+--corpus "$corpus_dir"}
# The uncached server needs its own copy: a server holds its index's lock.
rm -rf "$work/data-uncached" && cp -r "$work/data" "$work/data-uncached"

echo "== query mix and Groonga's data"
"$work/prep" corpus ${corpus_dir:+--corpus "$corpus_dir"} --out "$work"
rm -rf "$work/groonga" && mkdir -p "$work/groonga"
groonga -n "$work/groonga/db" quit >/dev/null
start=$(date +%s%N)
groonga "$work/groonga/db" < "$work/groonga-load.grn" > "$work/groonga-load.log"
echo "groonga load: $(( ($(date +%s%N) - start) / 1000000 )) ms"

echo "== starting servers"
start_server() { # name port cmd…
  local name=$1 port=$2; shift 2
  local t0=$(date +%s%N)
  "$@" > "$work/$name.log" 2>&1 &
  pids+=($!)
  eval "pid_${name//-/_}=$!"
  local t1
  t1=$("$work/prep" ready --timeout 600s "http://127.0.0.1:$port/${ready_path:-readyz}")
  echo "$name ready in $(( (t1 - t0) / 1000000 )) ms"
}
ready_path=readyz start_server ours $port_ours \
  "$work/policysearch" serve --addr 127.0.0.1:$port_ours --data "$work/data" ${corpus_dir:+--corpus "$corpus_dir"}
ready_path=readyz start_server ours-uncached $port_uncached \
  env POLICYSEARCH_SEARCH_CACHE_MB=0 "$work/policysearch" serve --addr 127.0.0.1:$port_uncached --data "$work/data-uncached" ${corpus_dir:+--corpus "$corpus_dir"}
"$work/prep" body --server "http://127.0.0.1:$port_ours" --paths "$work/paths.txt" --out "$work/body.json"
ready_path="" start_server static $port_static "$work/staticjson" --addr 127.0.0.1:$port_static --body "$work/body.json"
ready_path="d/status" start_server groonga $port_groonga \
  groonga -s --protocol http --bind-address 127.0.0.1 -p $port_groonga --cache-limit 1000 "$work/groonga/db"

target_url() {
  case $1 in
    ours) echo "http://127.0.0.1:$port_ours" ;;
    ours-uncached) echo "http://127.0.0.1:$port_uncached" ;;
    static) echo "http://127.0.0.1:$port_static" ;;
    groonga|groonga-uncached) echo "http://127.0.0.1:$port_groonga" ;;
  esac
}
target_paths() {
  case $1 in
    groonga|groonga-uncached) echo "$work/groonga-paths.txt" ;;
    *) echo "$work/paths.txt" ;;
  esac
}
# Groonga's results cache is a server setting: on (as many entries as the mix
# has queries, and more) for "groonga", off for "groonga-uncached".
groonga_cache() { curl -s -o /dev/null "http://127.0.0.1:$port_groonga/d/cache_limit?max=$1"; }

drive() { # target conns seconds → one JSON line from wrk
  local t=$1 c=$2 d=$3 threads=2
  [ "$c" -lt 2 ] && threads=1
  case $t in groonga) groonga_cache 1000 ;; groonga-uncached) groonga_cache 0 ;; esac
  wrk -t"$threads" -c"$c" -d"${d}s" --timeout 10s -s bench/paths.lua "$(target_url "$t")" -- "$(target_paths "$t")" | tail -1
}

echo "== warming up"
for t in ours ours-uncached static groonga; do drive "$t" 8 2 >/dev/null; done

results="$work/results.jsonl"
: > "$results"
targets=(static ours groonga ours-uncached groonga-uncached)
for r in $(seq 1 "$rounds"); do
  for c in $conns; do
    n=${#targets[@]}
    for i in $(seq 0 $((n - 1))); do
      t=${targets[$(( (i + r) % n ))]}
      line=$(drive "$t" "$c" "$duration")
      echo "{\"target\":\"$t\",\"conns\":$c,\"round\":$r,${line#\{}" >> "$results"
      echo "round $r, $c connections, $t: $line"
    done
  done
done

rss() { awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$1/status"; }
echo
echo "== $corpus: peak RSS after the runs"
echo "policysearch (cached): $(rss "$pid_ours"); uncached: $(rss "$pid_ours_uncached"); static: $(rss "$pid_static"); groonga: $(rss "$pid_groonga")"
echo "typical search response: $(wc -c < "$work/body.json") bytes (the static body)"
echo
echo "== $corpus: medians of $rounds rounds of ${duration}s, $(nproc) cores, $(uname -srm)"
"$work/prep" report "$results"
