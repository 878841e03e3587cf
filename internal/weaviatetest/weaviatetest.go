// Package weaviatetest gives tests the Weaviate cluster that bench/weaviate.sh
// runs on 127.0.0.1: three nodes, HTTP on 28080–28082, gRPC on 50061–50063.
package weaviatetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"policysearch/index"
)

// Nodes is how many nodes the script starts.
const Nodes = 3

// Enabled reports whether the tests that need the cluster run.
func Enabled() bool { return os.Getenv("POLICYSEARCH_WEAVIATE_TEST") == "1" }

// Cluster skips the test unless POLICYSEARCH_WEAVIATE_TEST=1, and otherwise
// returns the cluster through every node in turn, at QUORUM, with classes of
// the test's own.
func Cluster(t testing.TB) *index.Weaviate {
	t.Helper()
	if !Enabled() {
		t.Skip("needs a Weaviate cluster: bash bench/weaviate.sh start, then POLICYSEARCH_WEAVIATE_TEST=1 go test ./... -run Weaviate")
	}
	return Through(0, 1, 2)
}

// Through is the cluster reached through the nodes given, in that order.
func Through(nodes ...int) *index.Weaviate {
	w := &index.Weaviate{Shards: 3, Replicas: 3, Consistency: "QUORUM", Prefix: "PolicysearchTest", Timeout: 20 * time.Second,
		CacheBytes: 64 << 20}
	for _, n := range nodes {
		w.URLs = append(w.URLs, fmt.Sprintf("http://127.0.0.1:%d", 28080+n))
		w.GRPC = append(w.GRPC, fmt.Sprintf("127.0.0.1:%d", 50061+n))
	}
	return w
}

// Drop removes the class of an index a test built, when the test ends.
func Drop(t testing.TB, w *index.Weaviate, class string) {
	t.Cleanup(func() {
		if class == "" {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := w.Drop(ctx, class); err != nil {
			t.Logf("dropping class %s: %v", class, err)
		}
	})
}

// Script runs bench/weaviate.sh with args (kill N, start-node N).
func Script(t testing.TB, args ...string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "..", "..", "bench", "weaviate.sh")
	out, err := exec.Command("bash", append([]string{script}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("bench/weaviate.sh %v: %v\n%s", args, err, out)
	}
}
