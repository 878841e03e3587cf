#!/usr/bin/env bash
# Index build speed: rounds of BenchmarkBuild (parsing included) on synthetic
# corpora, each round a fresh process, with the CPU seconds and peak RSS of each
# and the median MB/s of the rounds. On a shared machine one build's time says
# as much about the neighbours as about the build: the same work's CPU seconds
# show which rounds ran on a busy host, and so does a probe: jieba's analyzer
# alone on one core (BenchmarkAnalyze/jieba, the notice's text), run just
# before and just after each round, whose MB/s falls with the host's
# neighbours and with nothing the build does.
#
#   bench/build.sh [--rounds N] [SIZE…]      # default: 5 rounds of 100000
#
# Needs Go with cgo and GNU time (/usr/bin/time; apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=5
if [ "${1:-}" = --rounds ]; then rounds=$2; shift 2; fi
sizes=${*:-100000}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/policysearch-bench-build}
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
CGO_ENABLED=1 go test -c -o "$work/index.test" ./index

# probe prints the probe's MB/s.
probe() {
  (cd index && "$work/index.test" -test.run '^$' -test.bench 'Analyze/jieba$' -test.benchtime 2s) |
    awk '/^BenchmarkAnalyze/ {print $5}'
}

echo "| items | round | MB/s | build s | CPU user s | CPU sys s | peak RSS MB | load before | probe MB/s before, after |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
for size in $sizes; do
  speeds=()
  for i in $(seq "$rounds"); do
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    before=$(probe)
    out=$(cd index && POLICYSEARCH_BENCH_SIZES=$size /usr/bin/time -f 'time %U %S %M' \
      "$work/index.test" -test.timeout 0 -test.run '^$' -test.bench Build -test.benchtime 1x 2>&1) &&
      line=$(grep -E '^BenchmarkBuild' <<<"$out") || { echo "$out" >&2; exit 1; }
    read -r _ _ ns _ mbs _ <<<"$line"
    read -r _ user sys kb < <(grep '^time ' <<<"$out")
    speeds+=("$mbs")
    after=$(probe)
    awk -v size="$size" -v i="$i" -v mbs="$mbs" -v ns="$ns" -v user="$user" -v sys="$sys" -v kb="$kb" -v load="$load" \
      -v probe="$before, $after" \
      'BEGIN {printf "| %s | %d | %s | %.1f | %s | %s | %d | %s | %s |\n", size, i, mbs, ns/1e9, user, sys, kb/1024, load, probe}'
  done
  printf '%s\n' "${speeds[@]}" | sort -g | awk -v size="$size" -v n="$rounds" \
    '{v[NR]=$1} END {m = (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2;
      printf "\n%s items: median %.2f MB/s of %d rounds (%s–%s)\n\n", size, m, n, v[1], v[NR]}'
done
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr) $(uname -m)"
