package api

import (
	"context"
	"testing"
	"time"

	"policysearch/index"
	"policysearch/internal/library"
)

// ServeLoopback serves srv from a real HTTP server on 127.0.0.1 and returns
// its base URL and a stop that shuts the server down and waits for it.
func ServeLoopback(srv *Server) (base string, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, "127.0.0.1:0", func(addr string) { ready <- addr }) }()
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-done:
		// Serve ended before listening: the test cannot go on without it.
		panic("serving on loopback: " + err.Error())
	}
	return base, func() {
		cancel()
		<-done
	}
}

// ServeForTest serves srv on loopback until the test ends, then closes it
// (and the index it serves), and returns its base URL.
func ServeForTest(t testing.TB, srv *Server) string {
	t.Helper()
	base, stop := ServeLoopback(srv)
	t.Cleanup(func() {
		stop()
		srv.Close()
	})
	return base
}

// ManageForTest makes the library manager of a test's server: it swaps the
// indexes *srv serves and reports its rebuilds to it. When the test ends it is
// closed and a merge building in the background has ended, before the test's
// folders are removed.
func ManageForTest(t testing.TB, corpusDir, dataDir string, srv **Server) *library.Manager {
	t.Helper()
	return ManageForTestWith(t, corpusDir, dataDir, index.Options{}, srv)
}

// ManageForTestWith is ManageForTest building indexes with opt.
func ManageForTestWith(t testing.TB, corpusDir, dataDir string, opt index.Options, srv **Server) *library.Manager {
	t.Helper()
	lib := library.NewManager(corpusDir, dataDir, opt,
		func() *index.Index { return (*srv).Index() },
		func(ix *index.Index) { (*srv).SetIndex(ix) },
		func(d time.Duration, err error) { (*srv).ObserveReindex(d, err) })
	t.Cleanup(func() {
		lib.Close()
		lib.WaitMerged()
	})
	return lib
}
