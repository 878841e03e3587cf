package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildLikeDockerfile builds the binary with the Dockerfile's own go build
// command, so this test proves what the image relies on.
func buildLikeDockerfile(t *testing.T) string {
	t.Helper()
	df, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)go build (.*) -o (\S+) (\S+)\s*$`).FindSubmatch(df)
	if m == nil {
		t.Fatal("the Dockerfile has no `go build … -o OUT PKG` line")
	}
	flags := string(m[1])
	if !strings.Contains(flags, "-trimpath") {
		t.Fatalf("the Dockerfile builds without -trimpath: %s", flags)
	}
	bin := filepath.Join(t.TempDir(), "policysearch")
	// The shell splits the flags as the Dockerfile's RUN does.
	line := "go build " + flags + " -o " + bin + " ."
	cmd := exec.Command("sh", "-c", line)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	return bin
}

// isolated runs the binary from an empty directory with no Go toolchain, no
// module cache and an empty home, as in the image.
func isolated(t *testing.T, bin, dir string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	empty := t.TempDir()
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + empty, "TMPDIR=" + filepath.Join(empty, "tmp"),
		"GOPATH=/nonexistent", "GOMODCACHE=/nonexistent", "GOROOT=/nonexistent"}
	return cmd
}

func TestBinaryRunsAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; run without -short")
	}
	bin := buildLikeDockerfile(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)

	// The CLI searches the embedded notice, with dictionaries from the binary.
	out, err := isolated(t, bin, dir, "search", "全国科普日").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "渝纲要办发〔2022〕2号 第5项") || !strings.Contains(string(out), "【全国科普日】") {
		t.Fatalf("search: %v\n%s", err, out)
	}

	// The server answers a search.
	// Request lines are held for an hour: only the shutdown writes them out.
	srv := isolated(t, bin, dir, "serve", "--addr", "127.0.0.1:0", "--access-log-flush", "1h")
	var log lockedBuffer
	srv.Stderr = &log
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	addr := waitForLine(t, &log, "listening")
	waitReady(t, addr)
	checkHugePages(t, srv.Process.Pid)
	res, err := http.Get(addr + "/api/v1/search?q=" + url.QueryEscape("科普大篷车"))
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Hits []struct {
			Number int `json:"number"`
		} `json:"hits"`
	}
	json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if len(body.Hits) != 2 || body.Hits[0].Number+body.Hits[1].Number != 49 {
		t.Fatalf("科普大篷车: %+v", body.Hits)
	}

	// While the server holds the index, the CLI fails at once and says why.
	start := time.Now()
	out, err = isolated(t, bin, dir, "search", "科普").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "held by another process") || time.Since(start) > 5*time.Second {
		t.Fatalf("search during serve: %v after %s\n%s", err, time.Since(start), out)
	}

	// SIGTERM shuts the server down cleanly.
	srv.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop on SIGTERM")
	}
	// The request lines held are all out at a clean shutdown.
	if !strings.Contains(log.String(), `"path":"/api/v1/search","status":200`) {
		t.Fatalf("no request line for the search in the server's log:\n%s", log.String())
	}
}

// waitForLine waits up to 30 s for log to hold a JSON line with msg, and
// returns its addr.
func waitForLine(t *testing.T, log *lockedBuffer, msg string) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, l := range strings.Split(log.String(), "\n") {
			var line struct{ Msg, Addr string }
			if json.Unmarshal([]byte(l), &line) == nil && line.Msg == msg {
				return line.Addr
			}
		}
	}
	t.Fatalf("no %q log line:\n%s", msg, log.String())
	return ""
}

func TestParseCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; run without -short")
	}
	bin := binary(t)
	out, err := exec.Command(bin, "parse", "--json", filepath.Join("..", "..", "corpus", "yugangyaobanfa-2022-2.txt")).Output()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Number  string `json:"number"`
		Date    string `json:"date"`
		Clauses []struct {
			Kind        string   `json:"kind"`
			Number      int      `json:"number"`
			Departments []string `json:"departments"`
		} `json:"clauses"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range doc.Clauses {
		if c.Kind == "item" {
			n++
			if c.Number == 24 && len(c.Departments) != 10 {
				t.Errorf("item 24 departments %q", c.Departments)
			}
		}
	}
	if doc.Number != "渝纲要办发〔2022〕2号" || doc.Date != "2022-04-19" || n != 45 {
		t.Fatalf("parse: number %q date %q items %d", doc.Number, doc.Date, n)
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("标题\n正文\xff"), 0o644)
	out, err = exec.Command(bin, "parse", bad).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "line 2") {
		t.Fatalf("bad document: %v %s", err, out)
	}
}

// waitFor reads JSON log lines until one has msg, and returns its addr.
func waitFor(t *testing.T, r io.Reader, msg string) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == msg {
				found <- line.Addr
				break
			}
		}
		io.Copy(io.Discard, r)
	}()
	select {
	case a := <-found:
		return a
	case <-time.After(30 * time.Second):
		t.Fatalf("no %q log line", msg)
	}
	return ""
}

func waitReady(t *testing.T, addr string) {
	t.Helper()
	if !ready(addr) {
		t.Fatal("server never ready")
	}
}

// ready waits up to 30 s for the server at addr to answer /readyz with 200.
func ready(addr string) bool {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(addr + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
