package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"policysearch/index"
	"policysearch/internal/library"
	"policysearch/internal/query"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds the command once for the package's tests.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "policysearch-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "policysearch")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// corpusOf writes n copies of the notice under distinct ids, plus extra.
func corpusOf(t *testing.T, n int, extra map[string]string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "corpus", "yugangyaobanfa-2022-2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("copy-%03d.txt", i)), src, 0o644)
	}
	for name, text := range extra {
		os.WriteFile(filepath.Join(dir, name+".txt"), []byte(text), 0o644)
	}
	return dir
}

// checkState opens the live index in dataDir and requires it to be the whole
// index of one of the corpora, and searchable.
func checkState(t *testing.T, dataDir string, corpora ...string) {
	t.Helper()
	ix, err := index.OpenCurrent(dataDir, index.Options{LockTimeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("the index left behind does not open: %v", err)
	}
	defer ix.Close()
	fp := ix.Manifest().Fingerprint
	match := -1
	for i, dir := range corpora {
		c, err := library.Load(dir, dataDir)
		if err != nil {
			t.Fatal(err)
		}
		if index.Fingerprint(c) == fp {
			match = i
		}
	}
	if match < 0 {
		t.Fatalf("the live index is neither the old nor the new corpus")
	}
	q, _ := query.Parse("全国科普日")
	res, err := ix.Search(context.Background(), index.Request{Query: q, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := ix.Count()
	if res.Total == 0 || int(n) != ix.Manifest().Clauses {
		t.Fatalf("the live index is incomplete: %d hits, %d of %d clauses", res.Total, n, ix.Manifest().Clauses)
	}
}

// kill -9 at random moments of a reindex leaves the old or the new index, whole.
func TestKilledReindex(t *testing.T) {
	if testing.Short() {
		t.Skip("kills subprocesses for a while; run without -short")
	}
	bin := binary(t)
	old := corpusOf(t, 8, nil)
	neu := corpusOf(t, 8, map[string]string{"extra": newDocument(t)})
	data := t.TempDir()
	run := func(corpus string) *exec.Cmd {
		cmd := exec.Command(bin, "index", "--corpus", corpus, "--data", data)
		cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
		return cmd
	}
	start := time.Now()
	if out, err := run(old).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	full := time.Since(start)
	t.Logf("a full index of %s takes %s", old, full)
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	from, to := old, neu
	for i := 0; i < 5; i++ {
		cmd := run(to)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait := killAfter(r, i, full)
		time.Sleep(wait)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		t.Logf("round %d: killed after %s", i, wait)
		checkState(t, data, from, to)
		// Restarted, it reaches the new corpus.
		if out, err := run(to).CombinedOutput(); err != nil {
			t.Fatalf("restart after kill: %v\n%s", err, out)
		}
		checkState(t, data, to)
		from, to = to, from
	}
	entries, _ := os.ReadDir(filepath.Join(data, "indexes"))
	if len(entries) != 1 {
		t.Errorf("%d index folders left after the rounds, want 1", len(entries))
	}
}

// kill -9 at random moments of an ingestion never loses an acknowledged document.
func TestKilledIngestion(t *testing.T) {
	if testing.Short() {
		t.Skip("kills subprocesses for a while; run without -short")
	}
	bin := binary(t)
	data := t.TempDir()
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	acked := map[string]bool{}
	doc := newDocument(t)
	for i := 0; i < 5; i++ {
		srv, addr := startServe(t, bin, data, "--admin-token", "t0ken")
		id := fmt.Sprintf("ingested-%d", i)
		// Another 文号 each round: the same notice again would be a duplicate.
		text := strings.Replace(doc, "〔2023〕7号", fmt.Sprintf("〔2023〕%d号", 100+i), 1)
		done := make(chan int, 1)
		go func() { done <- postText(addr, "?id="+id, text) }()
		time.Sleep(time.Duration(r.Int63n(int64(2500 * time.Millisecond))))
		srv.Process.Signal(syscall.SIGKILL)
		srv.Wait()
		if status := <-done; status == 201 {
			acked[id] = true
		}
		t.Logf("round %d: acknowledged %v", i, acked[id])
		// Restarted on the same data, every acknowledged document is served.
		srv, addr = startServe(t, bin, data)
		checkServed(t, addr, acked)
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}
}

// kill -9 at random moments of a replacement (replace=true) leaves the
// document's old text or its new one, whole, and never loses it; an
// acknowledged replacement is the one served after the restart.
func TestKilledReplacement(t *testing.T) {
	if testing.Short() {
		t.Skip("kills subprocesses for a while; run without -short")
	}
	bin := binary(t)
	data := t.TempDir()
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	doc := newDocument(t)
	version := func(n int) string {
		return strings.Replace(doc, "推动社区科普大学建设。", fmt.Sprintf("推动社区科普大学建设，第%d版。", n), 1)
	}
	srv, addr := startServe(t, bin, data, "--admin-token", "t0ken")
	if status := postText(addr, "?id=xinghuo", version(0)); status != 201 {
		t.Fatalf("first ingestion: %d", status)
	}
	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()
	served := 0 // the version acknowledged last
	for i := 1; i <= 5; i++ {
		srv, addr = startServe(t, bin, data, "--admin-token", "t0ken")
		done := make(chan int, 1)
		go func() { done <- postText(addr, "?replace=true", version(i)) }()
		time.Sleep(time.Duration(r.Int63n(int64(2500 * time.Millisecond))))
		srv.Process.Signal(syscall.SIGKILL)
		srv.Wait()
		status := <-done
		t.Logf("round %d: answered %d", i, status)

		srv, addr = startServe(t, bin, data)
		res, err := http.Get(addr + "/api/v1/clauses/xinghuo:2")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		text := string(b)
		switch {
		case res.StatusCode != 200:
			t.Fatalf("round %d: the document is lost after kill -9: %d %s", i, res.StatusCode, text)
		case strings.Contains(text, fmt.Sprintf("第%d版", i)):
			served = i
		case status == 200:
			t.Fatalf("round %d: the acknowledged replacement is not served: %s", i, text)
		case !strings.Contains(text, fmt.Sprintf("第%d版", served)):
			t.Fatalf("round %d: neither version %d nor %d is served: %s", i, served, i, text)
		}
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}
}

// checkServed requires every acknowledged document to be searchable: a search
// within it is refused (400) when the library does not hold it.
func checkServed(t *testing.T, addr string, acked map[string]bool) {
	t.Helper()
	for doc := range acked {
		res, err := http.Get(addr + "/api/v1/search?q=" + url.QueryEscape("星火燎原") + "&doc=" + doc)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("acknowledged document %s lost after kill -9 (search %d)", doc, res.StatusCode)
		}
	}
}

// postText posts a text document as the admin (token t0ken) and returns the
// status, 0 when no answer came (the server was killed).
func postText(addr, query, text string) int {
	req, _ := http.NewRequest("POST", addr+"/api/v1/documents"+query, strings.NewReader(text))
	req.Header.Set("Authorization", "Bearer t0ken")
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// startServe starts the server on a free port and waits until it is ready.
func startServe(t *testing.T, bin, data string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, args...)...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// The log is kept to say why, should the server never be ready.
	var log lockedBuffer
	addr := waitFor(t, io.TeeReader(stderr, &log), "listening")
	if !ready(addr) {
		t.Fatalf("server never ready; its log:\n%s", log.String())
	}
	return cmd, addr
}

// lockedBuffer is a log written by one goroutine and read by another.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// killAfter is when round i kills the process: every other round within the
// ingestion itself (a few hundred milliseconds), the others anywhere in it or
// in the merge after it, which takes up to full.
func killAfter(r *rand.Rand, i int, full time.Duration) time.Duration {
	if i%2 == 0 {
		return time.Duration(r.Int63n(int64(300 * time.Millisecond)))
	}
	return time.Duration(r.Int63n(int64(full)))
}

// newDocument reads a second notice with a campaign of its own.
func newDocument(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "documents", "xinghuo-2023-7.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// SIGTERM lets requests in flight finish: a reindex under way when the signal
// arrives still answers 200, and the server exits cleanly.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server; run without -short")
	}
	bin := binary(t)
	srv, addr := startServe(t, bin, t.TempDir(), "--admin-token", "t")
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", addr+"/api/v1/reindex", nil)
		req.Header.Set("Authorization", "Bearer t")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		res.Body.Close()
		done <- res.StatusCode
	}()
	time.Sleep(100 * time.Millisecond)
	srv.Process.Signal(syscall.SIGTERM)
	if status := <-done; status != 200 {
		t.Fatalf("the reindex in flight at SIGTERM answered %d", status)
	}
	if err := srv.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

// `policysearch index` on a changed corpus while a server holds the index
// builds beside it and leaves the server's index in place.
func TestIndexBesideRunningServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server; run without -short")
	}
	bin := binary(t)
	data := t.TempDir()
	srv, addr := startServe(t, bin, data)
	before, _ := os.ReadFile(filepath.Join(data, "CURRENT"))
	cmd := exec.Command(bin, "index", "--data", data, "--corpus", corpusOf(t, 2, nil))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("index beside a server: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(data, "indexes", strings.TrimSpace(string(before)))); err != nil {
		t.Fatalf("the server's index was removed: %v", err)
	}
	res, err := http.Get(addr + "/api/v1/search?q=" + url.QueryEscape("全国科普日"))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("the server stopped answering: %v %v", err, res)
	}
	res.Body.Close()
	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()
}

// liveFingerprint reads the fingerprint of the index CURRENT names, without
// opening it (a server may hold it).
func liveFingerprint(t *testing.T, data string) string {
	t.Helper()
	name, err := os.ReadFile(filepath.Join(data, "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(data, "indexes", strings.TrimSpace(string(name)), "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m index.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Fingerprint
}

// kill -9 at random moments of an ingestion into the live index (a part
// added beside the others) and of the full build merging the parts in the
// background leaves the index before the ingestion or the one after it,
// whole; and no acknowledged document is lost.
func TestKilledIngestionAndMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("kills subprocesses for a while; run without -short")
	}
	bin := binary(t)
	// Large enough that a merge takes a while, so that kills land in it.
	corpus := corpusOf(t, 30, nil)
	data := t.TempDir()
	start := time.Now()
	if out, err := exec.Command(bin, "index", "--corpus", corpus, "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	full := time.Since(start)
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	doc := newDocument(t)
	acked := map[string]bool{}
	kept, added, merged := 0, 0, 0
	for i := 0; i < 8; i++ {
		// Every ingestion starts a merge: the kill lands in the ingestion or in the merge.
		srv, addr := startServe(t, bin, data, "--corpus", corpus, "--admin-token", "t0ken", "--merge-after", "1")
		before := liveFingerprint(t, data)
		id := fmt.Sprintf("added-%d", i)
		text := strings.Replace(doc, "〔2023〕7号", fmt.Sprintf("〔2023〕%d号", 200+i), 1)
		done := make(chan int, 1)
		go func() { done <- postText(addr, "?id="+id, text) }()
		wait := killAfter(r, i, full)
		time.Sleep(wait)
		srv.Process.Signal(syscall.SIGKILL)
		srv.Wait()
		status := <-done
		if status == 201 {
			acked[id] = true
		}
		// The index left is the one before or the one after, whole.
		ix, err := index.OpenCurrent(data, index.Options{LockTimeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("round %d: the index left behind does not open: %v", i, err)
		}
		m := ix.Manifest()
		n, _ := ix.Count()
		deltas := ix.Deltas()
		ix.Close()
		c, err := library.Load(corpus, data)
		if err != nil {
			t.Fatal(err)
		}
		switch m.Fingerprint {
		case before:
			if status == 201 {
				t.Fatalf("round %d: the ingestion was acknowledged, but the index left is the one before it", i)
			}
		case index.Fingerprint(c):
		default:
			t.Fatalf("round %d: the index left is neither the one before the ingestion nor the one after", i)
		}
		if int(n) != m.Clauses {
			t.Fatalf("round %d: the index left is incomplete: %d of %d clauses", i, n, m.Clauses)
		}
		switch {
		case m.Fingerprint == before:
			kept++
		case deltas > 0:
			added++
		default:
			merged++
		}
		t.Logf("round %d: killed after %s, answered %d, %d added parts", i, wait, status, deltas)
		// Restarted, every acknowledged document is served.
		srv, addr = startServe(t, bin, data, "--corpus", corpus)
		checkServed(t, addr, acked)
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}
	t.Logf("killed before the ingestion's index was live %d times, with it live (the merge not swapped in) %d times, after the merge %d times; a full build takes %s",
		kept, added, merged, full)
}
