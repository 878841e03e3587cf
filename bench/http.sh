#!/usr/bin/env bash
# HTTP benchmark on loopback: policysearch against the framework's limit (echo
# answering a static JSON body of a typical search response's size) and two
# peers over the same clauses: Groonga's HTTP server (TokenBigram,
# NormalizerAuto) and FlexSearch with @node-rs/jieba on Node (jieba words,
# every word required, ids and text only).
#
# Two mixes of searches, each a file of request paths that wrk walks through:
#   longtail  every search distinct (the relevance checks' queries, then random
#             runs of 1 to 8 characters of the corpus): what a portal's first
#             searches of each kind cost, which no results cache carries;
#   repeat    400 searches asked over and over (the checks and random 2-6
#             character runs): what popular searches cost with a cache.
# policysearch and Groonga each run with their results cache on and off
# (POLICYSEARCH_SEARCH_CACHE_MB=0; Groonga's cache_limit 0); FlexSearch keeps
# no results cache. For each round, connection count and mix, every server is
# driven in turn, the order rotating each round, so machine noise hits all of
# them alike.
#
#   bench/http.sh [--corpus notice|N] [--duration S] [--rounds R] [--conns "8 32"] [--mixes "longtail repeat"]
#
# N is a synthetic corpus of N items (policysearch gen --clauses N --seed 1).
# Needs wrk, groonga, node and npm (Debian: wrk, groonga-bin, nodejs, npm;
# installed here when run as root), curl, and Go with cgo; npm installs the
# peer's two packages under bench/flexsearch. Listens on 127.0.0.1:28080-28084
# (BENCH_PORT moves them). Only 127.0.0.1 is contacted; every run is bounded by
# --duration and the script stops every process it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

corpus=notice duration=5 rounds=3 conns="8 32" mixes="longtail repeat"
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --mixes) mixes=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

need() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v groonga >/dev/null || missing+=(groonga-bin)
  command -v curl >/dev/null || missing+=(curl)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "bench/http.sh needs: ${missing[*]} (Debian packages; run as root to install them here)" >&2
    exit 1
  fi
}
need
(cd bench/flexsearch && npm install --no-audit --no-fund --silent)

work=${BENCH_WORK:-${TMPDIR:-/tmp}/policysearch-bench-http}/$corpus
mkdir -p "$work"
base=${BENCH_PORT:-28080} # five ports from here
port_ours=$base port_uncached=$((base + 1)) port_static=$((base + 2)) port_groonga=$((base + 3)) port_flex=$((base + 4))
for p in $port_ours $port_uncached $port_static $port_groonga $port_flex; do
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

echo "== the mixes, Groonga's data and the peer's clauses"
"$work/prep" corpus ${corpus_dir:+--corpus "$corpus_dir"} --out "$work"
for m in $mixes; do
  s=""; [ "$m" = longtail ] && s=-longtail
  echo "$m: $(wc -l < "$work/paths$s.txt") searches, $(sort -u "$work/paths$s.txt" | wc -l) distinct"
done
rm -rf "$work/groonga" && mkdir -p "$work/groonga"
groonga -n "$work/groonga/db" quit >/dev/null
start=$(date +%s%N)
groonga "$work/groonga/db" < "$work/groonga-load.grn" > "$work/groonga-load.log"
echo "groonga load: $(( ($(date +%s%N) - start) / 1000000 )) ms"

echo "== starting servers"
start_server() { # name port ready-path cmd…
  local name=$1 port=$2 path=$3; shift 3
  local t0=$(date +%s%N)
  "$@" > "$work/$name.log" 2>&1 &
  pids+=($!)
  eval "pid_${name//-/_}=$!"
  local t1
  t1=$("$work/prep" ready --timeout 600s "http://127.0.0.1:$port/$path")
  echo "$name ready in $(( (t1 - t0) / 1000000 )) ms"
}
start_server ours $port_ours readyz \
  "$work/policysearch" serve --addr 127.0.0.1:$port_ours --data "$work/data" ${corpus_dir:+--corpus "$corpus_dir"}
start_server ours-uncached $port_uncached readyz \
  env POLICYSEARCH_SEARCH_CACHE_MB=0 "$work/policysearch" serve --addr 127.0.0.1:$port_uncached --data "$work/data-uncached" ${corpus_dir:+--corpus "$corpus_dir"}
# The static body: the response of median size of the long-tail mix.
"$work/prep" body --server "http://127.0.0.1:$port_uncached" --paths "$work/paths-longtail.txt" --out "$work/body.json"
start_server static $port_static "" "$work/staticjson" --addr 127.0.0.1:$port_static --body "$work/body.json"
start_server groonga $port_groonga d/status \
  groonga -s --protocol http --bind-address 127.0.0.1 -p $port_groonga --cache-limit 1000 "$work/groonga/db"
start_server flexsearch $port_flex ready \
  node bench/flexsearch/server.js --clauses "$work/clauses.json" --port $port_flex

target_url() {
  case $1 in
    ours) echo "http://127.0.0.1:$port_ours" ;;
    ours-uncached) echo "http://127.0.0.1:$port_uncached" ;;
    static) echo "http://127.0.0.1:$port_static" ;;
    groonga|groonga-uncached) echo "http://127.0.0.1:$port_groonga" ;;
    flexsearch) echo "http://127.0.0.1:$port_flex" ;;
  esac
}
target_paths() { # target mix
  local s=""; [ "$2" = longtail ] && s=-longtail
  case $1 in
    groonga|groonga-uncached) echo "$work/groonga-paths$s.txt" ;;
    flexsearch) echo "$work/flex-paths$s.txt" ;;
    *) echo "$work/paths$s.txt" ;;
  esac
}
# Groonga's results cache is a server setting: on (1,000 entries) for
# "groonga", off for "groonga-uncached".
groonga_cache() { curl -s -o /dev/null "http://127.0.0.1:$port_groonga/d/cache_limit?max=$1"; }

drive() { # target mix conns seconds → one JSON line from wrk
  local t=$1 m=$2 c=$3 d=$4 threads=2
  [ "$c" -lt 2 ] && threads=1
  case $t in groonga) groonga_cache 1000 ;; groonga-uncached) groonga_cache 0 ;; esac
  wrk -t"$threads" -c"$c" -d"${d}s" --timeout 10s -s bench/paths.lua "$(target_url "$t")" -- "$(target_paths "$t" "$m")" | tail -1
}

targets=(static ours ours-uncached groonga groonga-uncached flexsearch)
echo "== warming up"
for t in "${targets[@]}"; do drive "$t" repeat 8 2 >/dev/null; done

echo "== load before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/results.jsonl"
: > "$results"
for r in $(seq 1 "$rounds"); do
  for c in $conns; do
    for m in $mixes; do
      n=${#targets[@]}
      for i in $(seq 0 $((n - 1))); do
        t=${targets[$(( (i + r) % n ))]}
        line=$(drive "$t" "$m" "$c" "$duration")
        echo "{\"target\":\"$t\",\"mix\":\"$m\",\"conns\":$c,\"round\":$r,${line#\{}" >> "$results"
        echo "round $r, $c connections, $m, $t: $line"
      done
    done
  done
  echo "load after round $r: $(cut -d' ' -f1-3 /proc/loadavg)"
done

rss() { awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$1/status"; }
echo
echo "== $corpus: peak RSS after the runs"
echo "policysearch (cached): $(rss "$pid_ours"); uncached: $(rss "$pid_ours_uncached"); static: $(rss "$pid_static"); groonga: $(rss "$pid_groonga"); flexsearch: $(rss "$pid_flexsearch")"
echo "static body: $(wc -c < "$work/body.json") bytes (the long-tail mix's median response)"
echo
echo "== $corpus: medians of $rounds rounds of ${duration}s, $(nproc) cores, $(uname -srm)"
"$work/prep" report "$results"
