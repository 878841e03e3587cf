package index

import "testing"

// A room hands out zeroed memory that no other take of the same search
// shares, the same memory again after a reset, and memory of its own to a
// take beyond maxRoom, which it does not keep.
func TestRoomHandsOutSeparateZeroedMemory(t *testing.T) {
	var r room[float64]
	a, b := r.take(10), r.take(20)
	for i := range a {
		a[i] = 1
	}
	for i := range b {
		if b[i] != 0 {
			t.Fatalf("second take holds %v at %d: it shares the first's memory", b[i], i)
		}
		b[i] = 2
	}
	if a[9] != 1 || len(a) != 10 || cap(a) != 10 || len(b) != 20 {
		t.Fatalf("takes overlap or are not the size asked: %v %v", a, b)
	}
	r.reset()
	c := r.take(10)
	if &c[0] != &a[0] {
		t.Error("after a reset, the room does not hand out its memory again")
	}
	for i, v := range c {
		if v != 0 {
			t.Fatalf("memory handed out again holds %v at %d", v, i)
		}
	}
	big := r.take(maxRoom + 1)
	if len(big) != maxRoom+1 || len(r.buf) > maxRoom {
		t.Fatalf("a take beyond maxRoom: %d elements, room of %d", len(big), len(r.buf))
	}
	for grown := 0; grown < 64; grown++ {
		r.take(1000)
	}
	if len(r.buf) > maxRoom {
		t.Fatalf("room grew to %d elements, beyond maxRoom", len(r.buf))
	}
}
