package api

import (
	"context"
	"net"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"
)

// A search response goes out in one write(2). net/http buffers a connection's
// output 4 KB at a time, so a response larger than that (most at 10,000
// clauses, a quarter of them on the notice) took two writes, and on loopback
// or a LAN each write costs as much as planning a query: the kernel sends
// the segment and wakes the reader then and there. The server's connections
// can hold their writes while a search response is written, and send them
// together when it is complete.

// heldConn is a connection whose writes can be held and sent as one.
type heldConn struct {
	net.Conn
	mu      sync.Mutex
	holding bool
	held    []byte
}

// heldBytes bounds the buffer a connection keeps between responses: a
// larger one is dropped once sent.
const heldBytes = 64 << 10

func (c *heldConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.holding {
		return c.Conn.Write(p)
	}
	c.held = append(c.held, p...)
	return len(p), nil
}

// hold keeps the writes that follow until send.
func (c *heldConn) hold() {
	c.mu.Lock()
	c.holding = true
	c.mu.Unlock()
}

// send writes what was held, in one write, and stops holding.
func (c *heldConn) send() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.holding = false
	if len(c.held) == 0 {
		return nil
	}
	_, err := c.Conn.Write(c.held)
	if cap(c.held) > heldBytes {
		c.held = nil
	} else {
		c.held = c.held[:0]
	}
	return err
}

// CloseWrite lets net/http half-close the connection, as it does a TCP one
// it closes after an error.
func (c *heldConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// heldListener accepts connections that can hold their writes.
type heldListener struct{ net.Listener }

func (l heldListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &heldConn{Conn: c}, nil
}

type heldConnKey struct{}

// withHeldConn gives a connection's requests its heldConn (http.Server's
// ConnContext).
func withHeldConn(ctx context.Context, c net.Conn) context.Context {
	if hc, ok := c.(*heldConn); ok {
		return context.WithValue(ctx, heldConnKey{}, hc)
	}
	return ctx
}

// writeWhole writes a response whose length is known (its Content-Length
// set) with write, in one write(2) where the connection can hold its writes.
// A compressed response is sent as it comes: its length is not known.
func writeWhole(c echo.Context, write func() error) (err error) {
	hc, _ := c.Request().Context().Value(heldConnKey{}).(*heldConn)
	if hc == nil {
		return write()
	}
	hc.hold()
	// Whatever happens, the connection stops holding: a panic in write
	// must not leave the next responses on it unsent.
	defer func() {
		if serr := hc.send(); err == nil {
			err = serr
		}
	}()
	if err = write(); err == nil && c.Response().Header().Get(echo.HeaderContentEncoding) == "" {
		// Out of net/http's buffers into the held ones: with the length
		// known, flushing sends no chunk framing.
		err = http.NewResponseController(c.Response().Writer).Flush()
	}
	return err
}
