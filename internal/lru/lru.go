// Package lru keeps the most recently used values within a budget of bytes:
// the results and response caches of searches, where one value's size varies
// a hundredfold with its page, and the terms a search path keeps decoded.
package lru

import (
	"sync"
	"sync/atomic"
)

// Cache is a least-recently-used cache within a byte budget; safe for
// concurrent use. A budget of 0 keeps nothing.
//
// Every search looks up each term of its plan here, from every core at once,
// a score of lookups a search: moving each value got to the front of the
// list, under an exclusive lock, was most of a lookup's cost, and so was
// moving half of them (those behind the newest quarter). A Get takes a shared
// lock and only marks its value as used, with a write only when it was not
// marked yet (CLOCK): the value keeps its place. Dropping from the back, a
// marked value is unmarked and put to the front instead, a second chance;
// after eight of them one drop takes the value at the back whatever its
// mark, so that a Put costs a bounded walk however many values were used.
type Cache[K comparable, V any] struct {
	mu      sync.RWMutex
	max     atomic.Int64 // read without the lock: a search asks for it a dozen times
	used    int
	entries map[K]*entry[K, V]
	// root closes the ring of values, most recently put first: root.next is
	// the newest, root.prev the oldest. The links are the values' own, so a
	// lookup reaches its value from the map in one step (container/list's
	// elements took two).
	root entry[K, V]
}

type entry[K comparable, V any] struct {
	key        K
	value      V
	cost       int
	used       atomic.Bool // got since it was put or last given a second chance
	prev, next *entry[K, V]
}

// secondChances bounds how many marked values one drop puts back to the
// front before it drops the one at the back.
const secondChances = 8

// New makes a cache of maxBytes.
func New[K comparable, V any](maxBytes int) *Cache[K, V] {
	c := &Cache[K, V]{entries: map[K]*entry[K, V]{}}
	c.max.Store(int64(maxBytes))
	c.root.prev, c.root.next = &c.root, &c.root
	return c
}

// pushFront puts en first in the ring, as the newest.
func (c *Cache[K, V]) pushFront(en *entry[K, V]) {
	en.prev, en.next = &c.root, c.root.next
	c.root.next.prev = en
	c.root.next = en
}

// unlink takes en out of the ring.
func (c *Cache[K, V]) unlink(en *entry[K, V]) {
	en.prev.next, en.next.prev = en.next, en.prev
	en.prev, en.next = nil, nil
}

// Max is the budget.
func (c *Cache[K, V]) Max() int { return int(c.max.Load()) }

// Get returns the value kept under key and marks it as used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.RLock()
	en, ok := c.entries[key]
	if !ok {
		c.mu.RUnlock()
		var zero V
		return zero, false
	}
	if !en.used.Load() {
		en.used.Store(true)
	}
	c.mu.RUnlock()
	return en.value, true
}

// Put keeps value under key at a cost of bytes, dropping the least recently
// used values beyond the budget (as CLOCK tells them), and reports whether
// it is kept. A value costing more than an eighth of the budget is not: one
// huge page would push out many common ones. A key already kept keeps its
// value.
func (c *Cache[K, V]) Put(key K, value V, cost int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if max := c.Max(); max == 0 || cost > max/8 {
		return false
	}
	if en, ok := c.entries[key]; ok {
		en.used.Store(true)
		return true
	}
	en := &entry[K, V]{key: key, value: value, cost: cost}
	c.pushFront(en)
	c.entries[key] = en
	c.used += cost
	c.evict()
	return true
}

// Resize changes the budget, dropping what no longer fits.
func (c *Cache[K, V]) Resize(maxBytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max.Store(int64(maxBytes))
	c.evict()
}

func (c *Cache[K, V]) evict() {
	chances := 0
	for c.used > c.Max() && c.root.prev != &c.root {
		old := c.root.prev
		if chances < secondChances && old.used.Load() {
			old.used.Store(false)
			c.unlink(old)
			c.pushFront(old)
			chances++
			continue
		}
		chances = 0
		c.unlink(old)
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
