// Package lru keeps the most recently used values within a budget of bytes:
// the results and response caches of searches, where one value's size varies
// a hundredfold with its page, and the terms a search path keeps decoded.
package lru

import (
	"container/list"
	"sync"
	"sync/atomic"
)

// Cache is a least-recently-used cache within a byte budget; safe for
// concurrent use. A budget of 0 keeps nothing.
//
// Every search looks up each term of its plan here, from every core at once:
// moving each value got to the front of the list, under an exclusive lock,
// was most of a lookup's cost. A Get takes a shared lock and moves its value
// only when the value has fallen behind the newest quarter of the list (as
// counted by the moves made since it was last moved): a value that recent is
// far from being dropped, and the order of the newest quarter does not
// matter. Eviction stays exact, from the back, one value at a time.
type Cache[K comparable, V any] struct {
	mu      sync.RWMutex
	max     int
	used    int
	entries map[K]*list.Element
	recent  *list.List    // of *entry[K, V], most recent first
	moves   atomic.Uint64 // values put to the front so far
}

type entry[K comparable, V any] struct {
	key   K
	value V
	cost  int
	moved atomic.Uint64 // moves when it was last put to the front
}

// New makes a cache of maxBytes.
func New[K comparable, V any](maxBytes int) *Cache[K, V] {
	return &Cache[K, V]{max: maxBytes, entries: map[K]*list.Element{}, recent: list.New()}
}

// Max is the budget.
func (c *Cache[K, V]) Max() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.max
}

// Get returns the value kept under key and marks it among the most recent.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	if !ok {
		c.mu.RUnlock()
		var zero V
		return zero, false
	}
	en := e.Value.(*entry[K, V])
	behind := c.moves.Load()-en.moved.Load() >= uint64(len(c.entries)/4)
	c.mu.RUnlock()
	if behind {
		c.mu.Lock()
		if c.entries[key] == e { // not dropped meanwhile
			c.toFront(e)
		}
		c.mu.Unlock()
	}
	return en.value, true
}

// toFront makes e the most recent. Called with the lock held.
func (c *Cache[K, V]) toFront(e *list.Element) {
	c.recent.MoveToFront(e)
	e.Value.(*entry[K, V]).moved.Store(c.moves.Add(1))
}

// Put keeps value under key at a cost of bytes, dropping the least recently
// used values beyond the budget, and reports whether it is kept. A value
// costing more than an eighth of the budget is not: one huge page would push
// out many common ones. A key already kept keeps its value.
func (c *Cache[K, V]) Put(key K, value V, cost int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.max == 0 || cost > c.max/8 {
		return false
	}
	if e, ok := c.entries[key]; ok {
		c.toFront(e)
		return true
	}
	en := &entry[K, V]{key: key, value: value, cost: cost}
	en.moved.Store(c.moves.Add(1))
	c.entries[key] = c.recent.PushFront(en)
	c.used += cost
	c.evict()
	return true
}

// Resize changes the budget, dropping what no longer fits.
func (c *Cache[K, V]) Resize(maxBytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = maxBytes
	c.evict()
}

func (c *Cache[K, V]) evict() {
	for c.used > c.max && c.recent.Len() > 0 {
		e := c.recent.Back()
		c.recent.Remove(e)
		old := e.Value.(*entry[K, V])
		delete(c.entries, old.key)
		c.used -= old.cost
	}
}

// Len is how many values are kept.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
