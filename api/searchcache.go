package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"policysearch/index"
	"policysearch/internal/lru"
)

// The search responses cache: the encoded JSON of recent searches, per served
// index (a swapped-in index starts empty), so that a search asked before is
// written as a static body is. Encoding was over half the cost of a search
// answered from the index's results cache. took_ms is the one part that
// changes: a response is kept as the bytes before it and the bytes after it.

// encodedSearch is a search response with its took_ms left out.
type encodedSearch struct {
	head []byte // {"query":…,"total":…,"took_ms":
	tail []byte // ,"hits":[…],"facets":{…},"interpreted":…,"related":…,"suggestions":…}\n
}

// encodeSearch encodes a response as encoding/json (and so echo's c.JSON)
// writes it: fields in the contract's order, <, > and & escaped, a newline at
// the end. clauses keeps clauses' own fields encoded (encodeHits).
//
// room, when not nil, is where the response's bytes go, grown as they need:
// the response must then not outlive room's next use.
func encodeSearch(raw string, res *index.Result, clauses *lru.Cache[string, []byte], room *[]byte) (encodedSearch, error) {
	e := encodedSearch{head: make([]byte, 0, len(raw)+48)}
	e.head = appendJSONString(append(e.head, `{"query":`...), raw)
	e.head = append(strconv.AppendInt(append(e.head, `,"total":`...), int64(res.Total), 10), `,"took_ms":`...)
	var tail []byte
	if room != nil {
		tail = (*room)[:0]
		defer func() { *room = e.tail[:0] }()
	} else {
		tail = make([]byte, 0, 1536*len(res.Hits)+1024)
	}
	tail, err := appendHits(append(tail, `,"hits":`...), res.Hits, clauses)
	if err != nil {
		return encodedSearch{}, err
	}
	tail = appendFacets(append(tail, `,"facets":`...), res.Facets)
	// What the query was read as, left out when empty, as searchResponse's
	// omitempty does.
	for _, part := range []struct {
		name  string
		value any
		empty bool
	}{
		{"interpreted", res.Interpreted, res.Interpreted == nil},
		{"related", res.Related, len(res.Related) == 0},
		{"suggestions", res.Suggestions, len(res.Suggestions) == 0},
	} {
		if part.empty {
			continue
		}
		b, err := json.Marshal(part.value)
		if err != nil {
			return encodedSearch{}, err
		}
		tail = append(append(append(append(tail, ',', '"'), part.name...), '"', ':'), b...)
	}
	e.tail = append(tail, "}\n"...)
	return e, nil
}

func (e encodedSearch) size() int { return len(e.head) + len(e.tail) }

// spareRoom holds room for the responses no cache keeps (encodeSearch): with
// the cache off, each search's response was its largest allocation, the
// bytes written and dropped at once. A larger room than maxSpareRoom is
// not kept.
var spareRoom = sync.Pool{New: func() any { return new([]byte) }}

const maxSpareRoom = 64 << 10

// clauseBytes bounds the encoded clauses a served index keeps.
const clauseBytes = 8 << 20

// appendHits appends hits as encoding/json encodes them: a hit is its
// clause's fields (index.Hit embeds index.Clause) and then its own. A clause's
// fields are most of a response's bytes and the same in every response that
// shows it, so they are encoded once and kept.
func appendHits(out []byte, hits []index.Hit, clauses *lru.Cache[string, []byte]) ([]byte, error) {
	out = append(out, '[')
	for i := range hits {
		hit := &hits[i]
		if i > 0 {
			out = append(out, ',')
		}
		c, ok := clauses.Get(hit.ID)
		if !ok {
			var err error
			if c, err = json.Marshal(&hit.Clause); err != nil {
				return nil, err
			}
			clauses.Put(hit.ID, c, len(c)+len(hit.ID)+64)
		}
		// {clause fields} becomes {clause fields,"match":…}
		out = append(out, c[:len(c)-1]...)
		if hit.Explain == nil {
			var err error
			if out, err = appendHitOwn(out, hit); err != nil {
				return nil, err
			}
			continue
		}
		own, err := json.Marshal(hitOwn{Match: hit.Match, Highlights: hit.Highlights, Score: hit.Score, Explain: hit.Explain})
		if err != nil {
			return nil, err
		}
		out = append(append(out, ','), own[1:]...)
	}
	return append(out, ']'), nil
}

// hitOwn is what a hit adds to its clause, in index.Hit's order and tags.
type hitOwn struct {
	Match      string             `json:"match"`
	Highlights []string           `json:"highlights"`
	Score      float64            `json:"score"`
	Explain    *index.Explanation `json:"explain,omitempty"`
}

// write answers with the response and took, in place: the parts go to the
// connection as they are, with their length, so that the body is neither
// copied once more nor sent in chunks.
func (e encodedSearch) write(c echo.Context, took time.Duration) error {
	var num [32]byte
	// took_ms as encoding/json writes a float64 of its size: plain decimals.
	t := strconv.AppendFloat(num[:0], float64(took.Microseconds())/1000, 'f', -1, 64)
	r := c.Response()
	r.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	r.Header().Set(echo.HeaderContentLength, strconv.Itoa(e.size()+len(t)))
	return writeWhole(c, func() error {
		r.WriteHeader(http.StatusOK)
		for _, part := range [][]byte{e.head, t, e.tail} {
			if _, err := r.Write(part); err != nil {
				return err
			}
		}
		return nil
	})
}

// newHandle serves ix. The server caches encoded responses itself, within
// the budget the index was opened with for its results, and turns the
// index's own results cache off: the two would hold the same searches twice.
func newHandle(ix *index.Index) *handle {
	budget := ix.SearchCacheBytes()
	ix.SetSearchCache(0)
	return &handle{ix: ix, responses: lru.New[string, encodedSearch](budget), clauses: lru.New[string, []byte](clauseBytes)}
}

// acquireHandle returns the live index and its caches for one request; release
// must be called when the request is done with them.
func (s *Server) acquireHandle() (*handle, func(), error) {
	for {
		h := s.cur.Load()
		if h == nil {
			return nil, nil, errorf(http.StatusServiceUnavailable, "the index is not open yet; retry shortly")
		}
		h.mu.RLock()
		if h.closed {
			// Swapped out while we took it: take the new one.
			h.mu.RUnlock()
			continue
		}
		return h, h.mu.RUnlock, nil
	}
}
