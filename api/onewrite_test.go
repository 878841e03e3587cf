package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"

	"policysearch/index"
	"policysearch/internal/library"
)

// countingListener counts the writes made on the connections it accepts.
type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// TestSearchResponseOneWrite serves the notice as Serve does, over connections
// that count their writes: each search response, three times net/http's
// connection buffer or none, goes out in one write, whole; a compressed one
// holds the same answer.
func TestSearchResponseOneWrite(t *testing.T) {
	ix, _, _, err := library.Open("", t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	srv.SetIndex(ix)
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var writes atomic.Int64
	hs := srv.httpServer()
	go hs.Serve(heldListener{countingListener{ln, &writes}})
	defer hs.Close()
	base := "http://" + ln.Addr().String() + "/api/v1/search?size=10&q="

	// send asks with Accept-Encoding set, so that the transport neither asks
	// for gzip nor unpacks it: the bytes counted are the bytes sent.
	get := func(q, encoding string) (*http.Response, []byte) {
		t.Helper()
		resp, body := send(t, "GET", base+url.QueryEscape(q), nil, map[string]string{"Accept-Encoding": encoding})
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, body)
		}
		return resp, []byte(body)
	}
	answer := func(q string, body []byte) map[string]any {
		t.Helper()
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		delete(v, "took_ms")
		return v
	}
	largest := 0
	for _, q := range []string{"科普", "全国科普日", "老年人", "没有这个词"} {
		before := writes.Load()
		resp, body := get(q, "identity")
		if n := writes.Load() - before; n != 1 {
			t.Errorf("%s: a response of %d bytes took %d writes", q, len(body), n)
		}
		if resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) || resp.TransferEncoding != nil {
			t.Errorf("%s: Content-Length %q, transfer encoding %v, for %d bytes", q, resp.Header.Get("Content-Length"), resp.TransferEncoding, len(body))
		}
		largest = max(largest, len(body))

		zresp, zbody := get(q, "gzip")
		if zresp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(zbody))
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if zbody, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if !reflect.DeepEqual(answer(q, body), answer(q, zbody)) {
			t.Errorf("%s: the compressed answer differs", q)
		}
	}
	if largest < 12<<10 {
		t.Fatalf("the largest response is %d bytes: the test needs one over three of net/http's 4 KB buffers", largest)
	}
}

// A response whose writing panics leaves its connection no longer holding:
// the next responses on it are sent.
func TestHeldConnReleasedOnPanic(t *testing.T) {
	hc := &heldConn{}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/search?q=x", nil)
	req = req.WithContext(context.WithValue(req.Context(), heldConnKey{}, hc))
	c := echo.New().NewContext(req, httptest.NewRecorder())
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic was lost")
			}
		}()
		writeWhole(c, func() error { panic("writing failed") })
	}()
	if hc.holding {
		t.Fatal("the connection still holds its writes after a panic")
	}
}
