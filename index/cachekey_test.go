package index

import (
	"reflect"
	"testing"

	"policysearch/internal/query"
)

// Every field of a request decides its result, so every field is part of the
// results cache's key: a request that differs from another in any one field
// has another key.
func TestCacheKeyCoversEveryField(t *testing.T) {
	q, err := query.Parse("科普")
	if err != nil {
		t.Fatal(err)
	}
	base := Request{Query: q, Size: 10}
	typ := reflect.TypeOf(base)
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		req := base
		v := reflect.ValueOf(&req).Elem().Field(i)
		switch f.Type.Kind() {
		case reflect.String:
			v.SetString("x")
		case reflect.Int:
			v.SetInt(v.Int() + 7)
		case reflect.Bool:
			v.SetBool(!v.Bool())
		case reflect.Slice:
			switch f.Type.Elem().Kind() {
			case reflect.String:
				v.Set(reflect.ValueOf([]string{"x"}))
			case reflect.Int:
				v.Set(reflect.ValueOf([]int{2023}))
			default:
				t.Fatalf("field %s: a slice of %s; teach this test about it", f.Name, f.Type.Elem())
			}
		case reflect.Struct:
			other, _ := query.Parse("科普 -农村")
			v.Set(reflect.ValueOf(other))
		default:
			t.Fatalf("field %s of kind %s; teach this test about it", f.Name, f.Type.Kind())
		}
		if req.cacheKey() == base.cacheKey() {
			t.Errorf("a request differing in %s has the same cache key", f.Name)
		}
	}
	// Values are kept apart: two years are not one other year.
	a, b := base, base
	a.Years, b.Years = []int{20, 23}, []int{2023}
	if a.cacheKey() == b.cacheKey() {
		t.Error("years 20, 23 and 2023 share a key")
	}
	a, b = base, base
	a.Departments, b.Leads = []string{"市科协"}, []string{"市科协"}
	if a.cacheKey() == b.cacheKey() {
		t.Error("a department and a lead share a key")
	}
}

// A term's alternatives decide what it finds: shiyan read as 实验 alone and as
// 实验 or 试验 are two searches, and an exclusion's alternatives too.
func TestCacheKeyCoversAlternatives(t *testing.T) {
	one := Request{Query: query.Query{Raw: "shiyan", Terms: []query.Term{{Text: "实验", Alternatives: []string{"实验"}}}}}
	two := Request{Query: query.Query{Raw: "shiyan", Terms: []query.Term{{Text: "实验", Alternatives: []string{"实验", "试验"}}}}}
	if one.cacheKey() == two.cacheKey() {
		t.Error("alternatives of a term are not in the key")
	}
	one.Query.Exclude = []query.Term{{Text: "农村"}}
	two = one
	two.Query.Exclude = []query.Term{{Text: "农村", Alternatives: []string{"农村", "弄村"}}}
	if one.cacheKey() == two.cacheKey() {
		t.Error("alternatives of an exclusion are not in the key")
	}
}
