package eval

import (
	"context"
	"fmt"
	"strings"

	"policysearch/index"
	"policysearch/internal/gongwen"
	"policysearch/internal/query"
	"policysearch/internal/segment"
)

// IndexEngine searches the index; engine is "" for policysearch's ranking or a
// baseline (index.EngineJieba, index.EngineBigram).
func IndexEngine(ix *index.Index, engine string) Engine {
	return func(q, dept string, size int) ([]int, error) {
		req := index.Request{Size: size, Sort: index.SortRelevance, Engine: engine}
		pq, err := query.Parse(q)
		if err != nil {
			return nil, err
		}
		req.Query = pq
		if dept != "" {
			name, ok := ix.ResolveDepartment(dept)
			if !ok {
				return nil, fmt.Errorf("unknown department %q", dept)
			}
			req.Departments = []string{name}
		}
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			return nil, err
		}
		var items []int
		for _, h := range res.Hits {
			if h.Kind == gongwen.KindItem {
				items = append(items, h.Number)
			}
		}
		return items, nil
	}
}

// Item is what plain substring search sees of an item.
type Item struct {
	Number      int
	Text        string
	Departments []string
}

// Items lists the items of documents.
func Items(docs []*gongwen.Document) []Item {
	var out []Item
	for _, d := range docs {
		for _, c := range d.Clauses {
			if c.Kind == gongwen.KindItem {
				out = append(out, Item{c.Number, c.Text, c.Departments})
			}
		}
	}
	return out
}

// Contains reports whether text holds s as plain substring search sees it: on
// the reflowed text, ignoring spaces, width and ASCII case.
func Contains(text, s string) bool {
	return strings.Contains(segment.Compact(text), segment.Compact(s))
}

// SubstringEngine is the ground truth: items whose text holds every query term,
// in document order; departments as listed. resolve maps a department alias to
// the listed name.
func SubstringEngine(items []Item, resolve func(string) (string, bool)) Engine {
	return func(q, dept string, size int) ([]int, error) {
		var out []int
		if dept != "" {
			name, ok := resolve(dept)
			if !ok {
				return nil, fmt.Errorf("unknown department %q", dept)
			}
			for _, it := range items {
				for _, d := range it.Departments {
					if d == name {
						out = append(out, it.Number)
					}
				}
			}
			return out, nil
		}
		pq, err := query.Parse(q)
		if err != nil {
			return nil, err
		}
	next:
		for _, it := range items {
			for _, t := range pq.Terms {
				if !Contains(it.Text, t.Text) {
					continue next
				}
			}
			for _, t := range pq.Exclude {
				if Contains(it.Text, t.Text) {
					continue next
				}
			}
			out = append(out, it.Number)
		}
		if len(out) > size {
			out = out[:size]
		}
		return out, nil
	}
}
