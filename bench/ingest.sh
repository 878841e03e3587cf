#!/usr/bin/env bash
# Ingesting into a live library: time from sending one 45-item document
# (the notice under another 文号) to a search that finds it, over HTTP on
# 127.0.0.1, into synthetic libraries already built. Each size is served from
# a fresh data folder (the first start builds, and is not timed here); then
# ROUNDS documents are posted one after the other, each followed at once by a
# search restricted to it. From the 8th added part on, a full build runs in
# the background (library.DefaultMergeAfter): the later rounds share the
# cores with it, and the script then waits for the merge and times one more.
#
#   bench/ingest.sh [SIZE…]      # default: 10000 100000; ROUNDS=10
#
# Needs curl, jq and Go with cgo. Serves on 127.0.0.1:28091 only (BENCH_PORT moves it).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${*:-10000 100000}
rounds=${ROUNDS:-10}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/policysearch-bench-ingest}
mkdir -p "$work"
port=${BENCH_PORT:-28091}
base="http://127.0.0.1:$port"
token=bench
if curl -s -o /dev/null "$base/"; then
  echo "port $port is in use" >&2; exit 1
fi
CGO_ENABLED=1 go build -o "$work/policysearch" ./cmd/policysearch
go build -o "$work/prep" ./bench/prep

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true' EXIT
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

# post N: posts the notice as document bench-N under the 文号 …〔2022〕(1000+N)号;
# prints the status and the milliseconds to the answer.
post() {
  local id=bench-$1 t0 t1 status
  sed "s/〔2022〕2 号/〔2022〕$((1000 + $1)) 号/" corpus/yugangyaobanfa-2022-2.txt > "$work/doc.txt"
  t0=$(now)
  status=$(curl -s -o "$work/post.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
    -H 'Content-Type: text/plain; charset=utf-8' --data-binary @"$work/doc.txt" "$base/api/v1/documents?id=$id")
  t1=$(now)
  echo "$status $(ms "$t0" "$t1")"
}

# found N: milliseconds until a search within document bench-N finds its clauses.
found() {
  local t0 total
  t0=$(now)
  while :; do
    total=$(curl -s "$base/api/v1/search?q=%E5%85%A8%E5%9B%BD%E7%A7%91%E6%99%AE%E6%97%A5&doc=bench-$1" | jq -r '.total // 0')
    [ "$total" -gt 0 ] && break
    sleep 0.01
  done
  ms "$t0" "$(now)"
}

parts() { ls "$data/indexes" | wc -l; }

echo "| library | round | POST answered ms | then found by search ms | request to searchable ms | index folders |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for size in $sizes; do
  dir="$work/corpus-$size"
  "$work/policysearch" gen --clauses "$size" --seed 1 --out "$dir" > /dev/null
  data="$work/data-$size"
  rm -rf "$data"
  "$work/policysearch" serve --addr 127.0.0.1:$port --data "$data" --corpus "$dir" --admin-token $token > "$work/serve-$size.log" 2>&1 &
  pid=$!
  "$work/prep" ready --timeout 1200s "$base/readyz" > /dev/null
  clauses=$(curl -s "$base/metrics" | awk '/^policysearch_index_clauses / {print $2}')
  for i in $(seq 1 "$rounds"); do
    read -r status post_ms < <(post "$i")
    [ "$status" = 201 ] || { echo "round $i: POST answered $status: $(cat "$work/post.json")" >&2; exit 1; }
    found_ms=$(found "$i")
    echo "| $size items ($clauses clauses) | $i | $post_ms | $found_ms | $((post_ms + found_ms)) | $(parts) |"
  done
  if [ "$rounds" -ge 8 ]; then
    # Wait for the background merge to be swapped in (one index folder left), then one more.
    t0=$(now)
    while [ "$(parts)" -gt 1 ]; do sleep 0.5; done
    echo "| $size items | merged in the background: one folder left $(ms "$t0" "$(now)") ms after the last round | | | | |"
    i=$((rounds + 1))
    read -r status post_ms < <(post "$i")
    found_ms=$(found "$i")
    echo "| $size items | $i (after the merge) | $post_ms | $found_ms | $((post_ms + found_ms)) | $(parts) |"
  fi
  echo "| $size items | peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status") | | | | |"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
echo
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -srm)"
