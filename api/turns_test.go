package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"policysearch/index"
	"policysearch/internal/library"
)

// Uncached searches take turns, one per core, in arrival order: with every
// turn taken, a new search waits (a cached one does not), is answered once a
// turn frees, and answers 503 with a reason when its time runs out first.
func TestSearchesTakeTurns(t *testing.T) {
	ix, _, _, err := library.Open("", t.TempDir(), index.Options{SearchCacheBytes: index.DefaultSearchCacheBytes})
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), RequestTimeout: 2 * time.Second})
	srv.SetIndex(ix)
	base := ServeForTest(t, srv)
	searchFor := func(q string) (int, string) {
		res, err := http.Get(base + "/api/v1/search?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, string(b)
	}
	if code, body := searchFor("科普"); code != http.StatusOK {
		t.Fatalf("科普 with every turn free: %d %s", code, body)
	}

	turns := int64(runtime.GOMAXPROCS(0))
	if err := srv.searching.Acquire(context.Background(), turns); err != nil {
		t.Fatal(err)
	}
	// Asked before: answered from its encoded response, without a turn.
	if code, body := searchFor("科普"); code != http.StatusOK {
		t.Fatalf("科普 asked again with every turn taken: %d %s", code, body)
	}
	// Out of time before its turn came.
	code, body := searchFor("科技")
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || code != http.StatusServiceUnavailable ||
		e.Error.Code == "" || !strings.Contains(e.Error.Message, "busy") {
		t.Fatalf("科技 with every turn taken: %d %s", code, body)
	}
	// Waiting, then answered when a turn frees.
	answered := make(chan int, 1)
	go func() {
		code, _ := searchFor("老年人")
		answered <- code
	}()
	select {
	case code := <-answered:
		t.Fatalf("老年人 answered %d while every turn was taken", code)
	case <-time.After(300 * time.Millisecond):
	}
	srv.searching.Release(turns)
	if code := <-answered; code != http.StatusOK {
		t.Fatalf("老年人 once a turn freed: %d", code)
	}
	// Every turn was given back: they can all be taken again at once.
	if !srv.searching.TryAcquire(turns) {
		t.Fatal("a search kept its turn after it was answered")
	}
	srv.searching.Release(turns)
	// The waits are counted for the metrics: 科普's first search and 老年人.
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(b), "policysearch_search_wait_seconds_count 2\n") {
		t.Errorf("the metrics do not count two searches' waits:\n%s", b)
	}
}
