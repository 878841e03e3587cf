package index

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/weaviate/weaviate/entities/models"

	"policysearch/internal/gongwen"
	"policysearch/internal/segment"
)

// Writing an index into Weaviate: a full build into a class of its own, an
// addition into the live index's class, and opening and retiring an index
// that lives there (see remote.go for searching it).

// allClauses lists the documents' clauses in order.
func allClauses(docs []*gongwen.Document) []clauseRef {
	var all []clauseRef
	for _, d := range docs {
		for i := range d.Clauses {
			all = append(all, clauseRef{d, &d.Clauses[i], i})
		}
	}
	return all
}

// writeClauses writes clauses into the class, batch by batch, two batches in
// flight; report hears how many each batch wrote.
func (w *Weaviate) writeClauses(ctx context.Context, class string, seg *segment.Segmenter, refs []clauseRef, report func(int)) error {
	jieba := jiebaTokenizer{seg}
	pairs, chars := gramTokenizer{n: 2}, gramTokenizer{n: 1}
	batches := make(chan []clauseRef)
	errs := make(chan error, 2)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				objs := make([]*models.Object, len(b))
				for i, r := range b {
					objs[i] = clauseObject(class, r, jieba, pairs, chars)
				}
				if err := w.put(ctx, objs); err != nil {
					errs <- err
					cancel()
					return
				}
				report(len(b))
			}
		}()
	}
	for lo := 0; lo < len(refs); lo += weaviateBatch {
		select {
		case batches <- refs[lo:min(lo+weaviateBatch, len(refs))]:
		case <-ctx.Done():
		}
	}
	close(batches)
	wg.Wait()
	select {
	case err := <-errs:
		return fmt.Errorf("index: writing to class %s: %w", class, err)
	default:
		return ctx.Err()
	}
}

// clauseObject is a clause's object: newRecord's fields, each analyzed
// field as its tokens separated by spaces.
func clauseObject(class string, r clauseRef, jieba, pairs, chars analysis.Tokenizer) *models.Object {
	rec := newRecord(r.doc, *r.c)
	tokens := func(t analysis.Tokenizer, s string) string {
		var b strings.Builder
		for _, tok := range t.Tokenize([]byte(s)) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.Write(tok.Term)
		}
		return b.String()
	}
	props := map[string]interface{}{
		"text": tokens(jieba, rec.Text), "text_gram": tokens(pairs, rec.TextGram), "text_char": tokens(chars, rec.TextChar),
		"title": tokens(jieba, rec.Title), "title_gram": tokens(pairs, rec.TitleGram), "title_char": tokens(chars, rec.TitleChar),
		"path_gram": tokens(pairs, rec.PathGram), "path_char": tokens(chars, rec.PathChar),
		weaviateDoc: rec.DocID, weaviateClause: r.c.ID, weaviateKey: clauseKey(r.c.ID),
	}
	for name, vals := range map[string][]string{"departments": rec.Departments, "department_places": rec.DepartmentPlaces,
		"leads": rec.Leads, "lead_places": rec.LeadPlaces, "sections": rec.Sections, "issuers": rec.Issuers, "year": rec.Year} {
		if len(vals) > 0 {
			props[name] = vals
		}
	}
	return &models.Object{Class: class, ID: clauseUUID(r.c.ID), Properties: props}
}

// build writes a full build's clauses into a new class named after the
// index folder, and returns the class and the clauses written.
func (w *Weaviate) build(dir string, seg *segment.Segmenter, docs []*gongwen.Document, progress func(done, total int)) (string, int, error) {
	if err := w.Check(); err != nil {
		return "", 0, err
	}
	all := allClauses(docs)
	class := w.className(dir)
	ctx := context.Background()
	if err := w.createClass(ctx, class); err != nil {
		return "", 0, fmt.Errorf("index: %w", err)
	}
	var mu sync.Mutex
	done := 0
	err := w.writeClauses(ctx, class, seg, all, func(n int) {
		mu.Lock()
		defer mu.Unlock()
		done += n
		if progress != nil {
			progress(done, len(all))
		}
	})
	if err != nil {
		w.Drop(ctx, class)
		return "", 0, err
	}
	return class, len(all), nil
}

// writeAdded writes the clauses of an addition (ingest.go): into a part of
// their own in the addition's folder dir, or into the index's class.
func (ix *Index) writeAdded(dir string, refs []clauseRef) error {
	if ix.remote == nil {
		_, err := writePart(partDir(dir, 0), dir, refs, func(int) {})
		return err
	}
	return ix.remote.w.writeClauses(context.Background(), ix.remote.class, ix.seg, refs, func(int) {})
}

// addedParts are the parts an addition in the folder named name adds.
func (ix *Index) addedParts(name string) []string {
	if ix.remote != nil {
		return nil
	}
	return []string{filepath.Join(name, bleveDir)}
}

// openAdded opens the parts an addition wrote into dir.
func (ix *Index) openAdded(dir string) ([]*part, error) {
	if ix.remote != nil {
		return nil, nil
	}
	bi, err := bleve.OpenUsing(partDir(dir, 0), map[string]interface{}{"bolt_timeout": "2s"})
	if err != nil {
		return nil, fmt.Errorf("index: opening %s: %w", dir, err)
	}
	return []*part{newPart(bi, filepath.Join(filepath.Base(dir), bleveDir))}, nil
}

// again is the same class for another index: its clauses are its own.
func (r *remote) again() *remote {
	if r == nil {
		return nil
	}
	return &remote{w: r.w, class: r.class}
}

// frequentWords are the frequent words of the clauses' text, cut again for
// an index whose build does not cut it here.
func frequentWords(seg *segment.Segmenter, docs []*gongwen.Document, limit int) []TermCount {
	var all []gongwen.Clause
	for _, d := range docs {
		all = append(all, d.Clauses...)
	}
	return addTerms(nil, seg, all, limit)
}

// textWords are the jieba words of every clause's text, for the pinyin
// readings, which a bleve index reads from its dictionary.
func (ix *Index) textWords(seen map[string]bool) []string {
	if ix.remote == nil {
		return nil
	}
	var out []string
	for _, c := range ix.store.clauses {
		for _, t := range ix.seg.Tokens(c.Text) {
			if !seen[t.Term] && utf8.RuneCountInString(t.Term) >= 2 {
				seen[t.Term] = true
				out = append(out, t.Term)
			}
		}
	}
	return out
}

// openRemote ties an opened index to its class, which the cluster must hold.
func (ix *Index) openRemote(m Manifest, opt Options) error {
	if m.WeaviateClass == "" {
		if opt.Weaviate != nil {
			return fmt.Errorf("index: %s is a bleve index; the weaviate backend builds its own", ix.dir)
		}
		return nil
	}
	if opt.Weaviate == nil {
		return fmt.Errorf("index: %s is on Weaviate (class %s): open it with the weaviate backend", ix.dir, m.WeaviateClass)
	}
	if err := opt.Weaviate.Check(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), opt.Weaviate.timeout())
	defer cancel()
	ok, err := opt.Weaviate.HasClass(ctx, m.WeaviateClass)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if !ok {
		return fmt.Errorf("index: the Weaviate cluster has no class %s", m.WeaviateClass)
	}
	ix.remote = &remote{w: opt.Weaviate, class: m.WeaviateClass}
	return nil
}

// dropUnlessLive drops a retired index's class unless the live index (the
// manifest live) is in it too: an addition shares its index's class.
func (ix *Index) dropUnlessLive(live Manifest) {
	if ix.remote == nil || live.WeaviateClass == ix.remote.class {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), ix.remote.w.timeout())
	defer cancel()
	ix.remote.w.Drop(ctx, ix.remote.class)
}
