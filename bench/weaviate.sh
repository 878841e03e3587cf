#!/usr/bin/env bash
# A Weaviate cluster of three nodes on 127.0.0.1, for the weaviate backend's
# tests and benchmarks (docs/SCALE.md).
#
#   bench/weaviate.sh build        # builds weaviate-server v1.35.2 into the cache, once
#   bench/weaviate.sh start        # builds if missing, starts the three nodes, waits until ready
#   bench/weaviate.sh stop         # stops every node it started
#   bench/weaviate.sh kill N       # kill -9 of node N (0, 1 or 2)
#   bench/weaviate.sh start-node N # starts node N again on its data, waits until it is ready
#   bench/weaviate.sh status       # the nodes as node 0 sees them
#
# Node N listens on HTTP 28080+N and gRPC 50061+N; gossip 28100+2N (data
# 28101+2N), Raft 28110+2N (internal RPC 28111+2N). The data, logs and pids
# are under WEAVIATE_DIR (default: a folder under TMPDIR), never in the
# repository. The binary is cached under POLICYSEARCH_CACHE (default
# ~/.cache/policysearch) so that a fresh clone reuses it.
set -euo pipefail

version=v1.35.2
cache=${POLICYSEARCH_CACHE:-$HOME/.cache/policysearch}
bindir=$cache/weaviate-$version
bin=$bindir/weaviate-server
state=${WEAVIATE_DIR:-${TMPDIR:-/tmp}/policysearch-weaviate}
nodes=3

build() {
  [ -x "$bin" ] && return 0
  mkdir -p "$bindir"
  echo "building weaviate-server $version into $bindir (about 5 minutes)" >&2
  GOBIN=$bindir CGO_ENABLED=0 go install "github.com/weaviate/weaviate/cmd/weaviate-server@$version"
}

http_port() { echo $((28080 + $1)); }

ready() {
  curl -sf -o /dev/null "http://127.0.0.1:$(http_port "$1")/v1/.well-known/ready"
}

# wait_for CHECK...: up to 120 s for the command to succeed.
wait_for() {
  for _ in $(seq 1 240); do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  return 1
}

gossip_up() { (echo >"/dev/tcp/127.0.0.1/28100") 2>/dev/null; }

start_node() {
  local n=$1 pidfile="$state/node$1.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "node $n already runs (pid $(cat "$pidfile"))" >&2; return 0
  fi
  mkdir -p "$state/data$n"
  local join=""
  # Every node but the first joins through the first one's gossip port.
  [ "$n" -gt 0 ] && join=127.0.0.1:28100
  env -i PATH="$PATH" HOME="$HOME" \
    AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=true \
    DEFAULT_VECTORIZER_MODULE=none \
    ENABLE_MODULES= \
    DISABLE_TELEMETRY=true \
    GO_PROFILING_DISABLE=true \
    LIMIT_RESOURCES=true \
    GOMEMLIMIT=${WEAVIATE_GOMEMLIMIT:-2GiB} \
    QUERY_MAXIMUM_RESULTS=${QUERY_MAXIMUM_RESULTS:-10000} \
    PERSISTENCE_DATA_PATH="$state/data$n" \
    GRPC_PORT=$((50061 + n)) \
    CLUSTER_HOSTNAME="node$n" \
    CLUSTER_IN_LOCALHOST=true \
    CLUSTER_BIND_ADDR=127.0.0.1 \
    CLUSTER_GOSSIP_BIND_PORT=$((28100 + 2 * n)) \
    CLUSTER_DATA_BIND_PORT=$((28101 + 2 * n)) \
    CLUSTER_JOIN="$join" \
    RAFT_PORT=$((28110 + 2 * n)) \
    RAFT_INTERNAL_RPC_PORT=$((28111 + 2 * n)) \
    RAFT_JOIN="node0:28110,node1:28112,node2:28114" \
    RAFT_BOOTSTRAP_EXPECT=$nodes \
    setsid "$bin" --scheme http --host 127.0.0.1 --port "$(http_port "$n")" \
      --read-timeout=600s --write-timeout=600s >>"$state/node$n.log" 2>&1 &
  echo $! >"$pidfile"
}

start() {
  build
  mkdir -p "$state"
  start_node 0
  # The others do not retry joining: the first node's gossip port must be up.
  wait_for gossip_up || { echo "node 0 did not open its gossip port; see $state/node0.log" >&2; exit 1; }
  for n in $(seq 1 $((nodes - 1))); do start_node "$n"; done
  for n in $(seq 0 $((nodes - 1))); do
    wait_for ready "$n" || { echo "node $n not ready; see $state/node$n.log" >&2; exit 1; }
  done
  echo "weaviate: $nodes nodes ready, http://127.0.0.1:28080 (data in $state)"
}

stop_node() {
  local pidfile="$state/node$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case ${1:-} in
  build) build ;;
  start) start ;;
  stop)
    for n in $(seq 0 $((nodes - 1))); do stop_node "$n"; done
    [ "${WEAVIATE_KEEP_DATA:-}" = 1 ] || rm -rf "$state"
    ;;
  kill)
    pidfile="$state/node$2.pid"
    kill -9 "$(cat "$pidfile")"
    rm -f "$pidfile"
    ;;
  start-node)
    start_node "$2"
    wait_for ready "$2" || { echo "node $2 not ready; see $state/node$2.log" >&2; exit 1; }
    ;;
  status) curl -s "http://127.0.0.1:28080/v1/nodes" ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
