package index

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/go-openapi/strfmt"
	"github.com/google/uuid"
	"github.com/weaviate/weaviate-go-client/v5/weaviate"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/graphql"
	wgrpc "github.com/weaviate/weaviate-go-client/v5/weaviate/grpc"
	"github.com/weaviate/weaviate/entities/models"
)

// Weaviate keeps an index's clauses in a Weaviate cluster instead of bleve
// parts on this machine. Weaviate holds each clause's analyzed fields as
// whitespace-separated tokens (analysis stays here: the same analyzers as
// bleve's fields) and its filters as exact values; a search reads from it,
// per term, the clauses that hold the term, and does the rest here over the
// clauses in memory (remote.go). Each full build is a class of its own,
// dropped when the index built into it is retired, as bleve's folders are.
type Weaviate struct {
	// URLs are REST endpoints of nodes of one cluster, and GRPC the same
	// nodes' gRPC addresses (host:port), in the same order: a call goes to
	// the first node that answers.
	URLs []string
	GRPC []string
	// Shards and Replicas of each class created.
	Shards, Replicas int
	// Consistency is the level (ONE, QUORUM, ALL) at which writes are
	// acknowledged and reads answered.
	Consistency string
	// Prefix begins the classes' names: servers sharing a cluster use
	// different ones.
	Prefix string
	// Page is how many clauses one query reads, at most the cluster's
	// QUERY_MAXIMUM_RESULTS.
	Page int
	// Timeout bounds each call to the cluster.
	Timeout time.Duration
	// CacheBytes bounds, per open index, the sets of clauses read from the
	// cluster kept for the next searches; 0 keeps none.
	CacheBytes int

	mu      sync.Mutex
	clients []*weaviate.Client
	next    int // the node that answered last
}

// Defaults of the Weaviate backend, as the command's flags give them.
const (
	DefaultWeaviatePrefix = "Policysearch"
	defaultWeaviatePage   = 10000
	weaviateBatch         = 200 // objects per write
)

var classNameRe = regexp.MustCompile(`^[A-Z][_0-9A-Za-z]*$`)

// Check reports settings that cannot work, before any call.
func (w *Weaviate) Check() error {
	if len(w.URLs) == 0 {
		return errors.New("weaviate: no node address")
	}
	if len(w.GRPC) != len(w.URLs) {
		return fmt.Errorf("weaviate: %d REST addresses but %d gRPC addresses", len(w.URLs), len(w.GRPC))
	}
	if w.Shards < 1 || w.Replicas < 1 {
		return fmt.Errorf("weaviate: shards (%d) and replicas (%d) must be 1 or more", w.Shards, w.Replicas)
	}
	switch w.Consistency {
	case "ONE", "QUORUM", "ALL":
	default:
		return fmt.Errorf("weaviate: consistency %q: want ONE, QUORUM or ALL", w.Consistency)
	}
	if !classNameRe.MatchString(w.Prefix) {
		return fmt.Errorf("weaviate: class prefix %q: want a capital letter, then letters, digits or _", w.Prefix)
	}
	return nil
}

func (w *Weaviate) page() int {
	if w.Page > 0 {
		return w.Page
	}
	return defaultWeaviatePage
}

func (w *Weaviate) timeout() time.Duration {
	if w.Timeout > 0 {
		return w.Timeout
	}
	return 30 * time.Second
}

// client connects to node i, once.
func (w *Weaviate) client(i int) (*weaviate.Client, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.clients == nil {
		w.clients = make([]*weaviate.Client, len(w.URLs))
	}
	if c := w.clients[i]; c != nil {
		return c, nil
	}
	u, err := url.Parse(w.URLs[i])
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("address %q: want http://host:port", w.URLs[i])
	}
	c, err := weaviate.NewClient(weaviate.Config{
		Host: u.Host, Scheme: u.Scheme, Timeout: w.timeout(), StartupTimeout: 2 * time.Second,
		GrpcConfig: &wgrpc.Config{Host: w.GRPC[i], Secured: u.Scheme == "https"},
	})
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	w.clients[i] = c
	return c, nil
}

// do calls f on the node that answered last, and on the others in turn
// while it fails: every call here may be repeated (writes put objects under
// fixed ids). It returns the last node's error.
func (w *Weaviate) do(ctx context.Context, f func(*weaviate.Client) error) error {
	w.mu.Lock()
	first := w.next
	w.mu.Unlock()
	var errs []error
	for k := range w.URLs {
		i := (first + k) % len(w.URLs)
		c, err := w.client(i)
		if err == nil {
			if err = f(c); err == nil {
				w.mu.Lock()
				w.next = i
				w.mu.Unlock()
				return nil
			}
		}
		errs = append(errs, fmt.Errorf("%s: %w", w.URLs[i], err))
		if ctx.Err() != nil {
			break
		}
	}
	return fmt.Errorf("weaviate: %w", errors.Join(errs...))
}

// className is the class a build in the index folder named dir writes.
func (w *Weaviate) className(dir string) string {
	var b strings.Builder
	b.WriteString(w.Prefix)
	b.WriteByte('_')
	for _, r := range dir {
		if r < 128 && (r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Fields of a class: the analyzed ones (as in newMapping), the filters, and
// the clause's id with the key that a long result is read in order of.
var (
	weaviateTextFields = []string{"text", "text_gram", "text_char", "title", "title_gram", "title_char",
		"path_gram", "path_char"}
	weaviateKeywordFields = []string{"departments", "department_places", "leads", "lead_places",
		"sections", "issuers", "year"}
)

const (
	weaviateKey    = "key"
	weaviateClause = "clause"
	weaviateDoc    = "doc_id"
)

// createClass creates an empty class for an index.
func (w *Weaviate) createClass(ctx context.Context, name string) error {
	yes, no := true, false
	var props []*models.Property
	for _, f := range weaviateTextFields {
		props = append(props, &models.Property{Name: f, DataType: []string{"text"}, Tokenization: "whitespace",
			IndexFilterable: &yes, IndexSearchable: &no})
	}
	for _, f := range weaviateKeywordFields {
		props = append(props, &models.Property{Name: f, DataType: []string{"text[]"}, Tokenization: "field",
			IndexFilterable: &yes, IndexSearchable: &no})
	}
	props = append(props,
		&models.Property{Name: weaviateDoc, DataType: []string{"text"}, Tokenization: "field", IndexFilterable: &yes, IndexSearchable: &no},
		&models.Property{Name: weaviateClause, DataType: []string{"text"}, Tokenization: "field", IndexFilterable: &no, IndexSearchable: &no},
		&models.Property{Name: weaviateKey, DataType: []string{"int"}, IndexFilterable: &yes, IndexRangeFilters: &yes},
	)
	class := &models.Class{
		Class:          name,
		Vectorizer:     "none",
		Properties:     props,
		ShardingConfig: map[string]interface{}{"desiredCount": w.Shards},
		// Without asynchronous replication a node back from a crash serves
		// what it held before it, until each object is read again.
		ReplicationConfig:   &models.ReplicationConfig{Factor: int64(w.Replicas), AsyncEnabled: true},
		InvertedIndexConfig: &models.InvertedIndexConfig{Stopwords: &models.StopwordConfig{Preset: "none"}},
	}
	err := w.do(ctx, func(c *weaviate.Client) error {
		err := c.Schema().ClassCreator().WithClass(class).Do(ctx)
		if err != nil {
			// A node that created it and then failed to answer: repeated elsewhere.
			if ok, cerr := c.Schema().ClassExistenceChecker().WithClassName(name).Do(ctx); cerr == nil && ok {
				return nil
			}
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("creating class %s: %w", name, err)
	}
	return nil
}

// Drop deletes a class with its objects: an index's (Manifest.WeaviateClass)
// once no server serves it.
func (w *Weaviate) Drop(ctx context.Context, name string) error {
	return w.do(ctx, func(c *weaviate.Client) error {
		return c.Schema().ClassDeleter().WithClassName(name).Do(ctx)
	})
}

// HasClass reports whether the cluster holds a class.
func (w *Weaviate) HasClass(ctx context.Context, name string) (bool, error) {
	var ok bool
	err := w.do(ctx, func(c *weaviate.Client) error {
		var err error
		ok, err = c.Schema().ClassExistenceChecker().WithClassName(name).Do(ctx)
		return err
	})
	return ok, err
}

// put writes objects, and returns once the cluster holds every one at the
// consistency level.
func (w *Weaviate) put(ctx context.Context, objs []*models.Object) error {
	return w.do(ctx, func(c *weaviate.Client) error {
		res, err := c.Batch().ObjectsBatcher().WithObjects(objs...).WithConsistencyLevel(w.Consistency).Do(ctx)
		if err != nil {
			return err
		}
		for _, r := range res {
			if r.Result != nil && r.Result.Errors != nil && len(r.Result.Errors.Error) > 0 {
				return fmt.Errorf("object %s: %s", r.ID, r.Result.Errors.Error[0].Message)
			}
		}
		return nil
	})
}

// ObjectID is a clause's object id in every class: writing a clause again
// replaces it.
func ObjectID(clauseID string) string { return string(clauseUUID(clauseID)) }

func clauseUUID(id string) strfmt.UUID {
	return strfmt.UUID(uuid.NewSHA1(uuid.NameSpaceURL, []byte("policysearch:"+id)).String())
}

// clauseKey is the number a long result is read in the order of: a hash of
// the clause's id, 53 bits so that it is exact wherever JSON carries it.
func clauseKey(id string) int64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return int64(h.Sum64() >> 11)
}

// equal is the filter that a field holds a value (a token of a text field,
// a value of a keyword one).
func equal(field, value string) *filters.WhereBuilder {
	return filters.Where().WithPath([]string{field}).WithOperator(filters.Equal).WithValueText(value)
}

// combine joins filters with And or Or.
func combine(op filters.WhereOperator, ws []*filters.WhereBuilder) *filters.WhereBuilder {
	if len(ws) == 1 {
		return ws[0]
	}
	return filters.Where().WithOperator(op).WithOperands(ws)
}

// matching calls f with the id of every object of the class that where
// (nil: every object) lets through. A query returns at most a page: a
// longer result is read again in pages ordered by key, each after the last
// key read (Weaviate's cursor does not take a filter).
func (w *Weaviate) matching(ctx context.Context, class string, where *filters.WhereBuilder, f func(id string)) error {
	var last int64 = -1
	sorted := false
	for {
		page := where
		if sorted {
			after := filters.Where().WithPath([]string{weaviateKey}).WithOperator(filters.GreaterThan).WithValueInt(last)
			if where == nil {
				page = after
			} else {
				page = combine(filters.And, []*filters.WhereBuilder{where, after})
			}
		}
		var got []graphql.SearchResult
		err := w.do(ctx, func(c *weaviate.Client) error {
			s := c.Experimental().Search().WithCollection(class).WithLimit(w.page()).
				WithConsistencyLevel(w.Consistency).WithProperties(weaviateKey)
			if page != nil {
				s = s.WithWhere(page)
			}
			if sorted {
				s = s.WithSort(graphql.Sort{Path: []string{weaviateKey}, Order: graphql.Asc})
			}
			var err error
			got, err = s.Do(ctx)
			return err
		})
		if err != nil {
			return fmt.Errorf("reading %s: %w", class, err)
		}
		for _, r := range got {
			f(r.ID)
		}
		if len(got) < w.page() {
			return nil
		}
		// A full page unsorted says only that there is more: read it all
		// again in key order (the clauses already seen are a set's).
		if sorted {
			k, ok := intProperty(got[len(got)-1].Properties[weaviateKey])
			if !ok {
				return fmt.Errorf("reading %s: an object without its key", class)
			}
			last = k
		}
		sorted = true
	}
}

// count is how many objects of the class where lets through.
func (w *Weaviate) count(ctx context.Context, class string, where *filters.WhereBuilder) (uint64, error) {
	var n uint64
	err := w.do(ctx, func(c *weaviate.Client) error {
		res, err := c.GraphQL().Aggregate().WithClassName(class).WithWhere(where).
			WithFields(graphql.Field{Name: "meta", Fields: []graphql.Field{{Name: "count"}}}).Do(ctx)
		if err != nil {
			return err
		}
		if len(res.Errors) > 0 {
			return fmt.Errorf("counting: %s", res.Errors[0].Message)
		}
		agg, _ := res.Data["Aggregate"].(map[string]interface{})
		rows, _ := agg[class].([]interface{})
		if len(rows) != 1 {
			return fmt.Errorf("counting: %d rows", len(rows))
		}
		row, _ := rows[0].(map[string]interface{})
		meta, _ := row["meta"].(map[string]interface{})
		v, ok := meta["count"].(float64)
		if !ok {
			return fmt.Errorf("counting: no count")
		}
		n = uint64(v)
		return nil
	})
	return n, err
}

func intProperty(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case float64:
		return int64(v), true
	case int:
		return int64(v), true
	}
	return 0, false
}
