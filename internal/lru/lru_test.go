package lru

import (
	"fmt"
	"testing"
)

func TestCache(t *testing.T) {
	c := New[string, string](800)
	if c.Put("huge", "x", 101) {
		t.Error("a value over an eighth of the budget was kept")
	}
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		if !c.Put(k, "value "+k, 100) {
			t.Fatalf("%s not kept", k)
		}
	}
	if v, ok := c.Get("a"); !ok || v != "value a" {
		t.Fatalf("a: %q %v", v, ok)
	}
	// a was used last: the next value pushes out b, the least recent.
	c.Put("i", "value i", 100)
	if _, ok := c.Get("b"); ok {
		t.Error("b, the least recently used, is still kept over the budget")
	}
	for _, k := range []string{"a", "c", "i"} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("%s was dropped", k)
		}
	}
	if c.Put("a", "another", 100); true {
		if v, _ := c.Get("a"); v != "value a" {
			t.Errorf("a key kept got a new value: %q", v)
		}
	}
	c.Resize(250)
	if c.Max() != 250 {
		t.Errorf("Max after Resize: %d", c.Max())
	}
	kept := 0
	for _, k := range []string{"a", "c", "d", "e", "f", "g", "h", "i"} {
		if _, ok := c.Get(k); ok {
			kept++
		}
	}
	if kept != 2 {
		t.Errorf("%d values kept within 250 bytes of 100 each, want 2", kept)
	}
	c.Resize(0)
	if c.Put("z", "z", 1) {
		t.Error("a cache of 0 bytes kept a value")
	}
}

// A value got is kept over older ones never got, however full the cache: it
// is given a second chance where it stands, without moving when got.
func TestCacheKeepsWhatIsGot(t *testing.T) {
	c := New[string, int](100 * 10)
	for i := 0; i < 100; i++ {
		c.Put(fmt.Sprint(i), i, 10)
	}
	// 0 is the oldest; 99 among the newest quarter.
	for _, k := range []string{"0", "99"} {
		if v, ok := c.Get(k); !ok || fmt.Sprint(v) != k {
			t.Fatalf("%s: %d %v", k, v, ok)
		}
	}
	for i := 100; i < 150; i++ {
		c.Put(fmt.Sprint(i), i, 10)
	}
	for _, k := range []string{"0", "99", "149"} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("%s was dropped", k)
		}
	}
	for _, k := range []string{"1", "50"} {
		if _, ok := c.Get(k); ok {
			t.Errorf("%s, never got and older than fifty newer values, is kept", k)
		}
	}
	if c.Len() != 100 {
		t.Errorf("%d values kept, want 100", c.Len())
	}
}

// When every value was got, a Put still drops one after a bounded walk of
// second chances, and the cache stays within its budget.
func TestCacheDropsWhenAllWereGot(t *testing.T) {
	c := New[string, int](100 * 10)
	for i := 0; i < 100; i++ {
		c.Put(fmt.Sprint(i), i, 10)
	}
	for round := 0; round < 3; round++ {
		for i := 0; i < 100+round*10; i++ {
			c.Get(fmt.Sprint(i))
		}
		for i := 0; i < 10; i++ {
			k := fmt.Sprintf("new-%d-%d", round, i)
			if !c.Put(k, i, 10) {
				t.Fatalf("%s not kept", k)
			}
			if _, ok := c.Get(k); !ok {
				t.Fatalf("%s, just put, was dropped", k)
			}
		}
		if c.Len() != 100 || c.used != 1000 {
			t.Fatalf("round %d: %d values of %d bytes, want 100 of 1000", round, c.Len(), c.used)
		}
	}
}
