// Package lru keeps the most recently used values within a budget of bytes:
// the results and response caches of searches, where one value's size varies
// a hundredfold with its page.
package lru

import (
	"container/list"
	"sync"
)

// Cache is a least-recently-used cache within a byte budget; safe for
// concurrent use. A budget of 0 keeps nothing.
type Cache[V any] struct {
	mu      sync.Mutex
	max     int
	used    int
	entries map[string]*list.Element
	recent  *list.List // of *entry[V], most recent first
}

type entry[V any] struct {
	key   string
	value V
	cost  int
}

// New makes a cache of maxBytes.
func New[V any](maxBytes int) *Cache[V] {
	return &Cache[V]{max: maxBytes, entries: map[string]*list.Element{}, recent: list.New()}
}

// Max is the budget.
func (c *Cache[V]) Max() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max
}

// Get returns the value kept under key and marks it the most recent.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.recent.MoveToFront(e)
	return e.Value.(*entry[V]).value, true
}

// Put keeps value under key at a cost of bytes, dropping the least recently
// used values beyond the budget, and reports whether it is kept. A value
// costing more than an eighth of the budget is not: one huge page would push
// out many common ones. A key already kept keeps its value.
func (c *Cache[V]) Put(key string, value V, cost int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.max == 0 || cost > c.max/8 {
		return false
	}
	if e, ok := c.entries[key]; ok {
		c.recent.MoveToFront(e)
		return true
	}
	c.entries[key] = c.recent.PushFront(&entry[V]{key, value, cost})
	c.used += cost
	c.evict()
	return true
}

// Resize changes the budget, dropping what no longer fits.
func (c *Cache[V]) Resize(maxBytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = maxBytes
	c.evict()
}

func (c *Cache[V]) evict() {
	for c.used > c.max && c.recent.Len() > 0 {
		e := c.recent.Back()
		c.recent.Remove(e)
		old := e.Value.(*entry[V])
		delete(c.entries, old.key)
		c.used -= old.cost
	}
}

// Len is how many values are kept.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
