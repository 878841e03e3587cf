package tsv

import (
	"errors"
	"reflect"
	"testing"
)

func TestRead(t *testing.T) {
	table := []byte("# a comment\n市科协\t重庆市科学技术协会\n\n  科普\t科学普及  \n#\t再一个\n三\t段\t字段\n")
	var got [][]string
	var lines []int
	err := Read(table, func(n int, fields []string) error {
		lines = append(lines, n)
		got = append(got, fields)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"市科协", "重庆市科学技术协会"}, {"科普", "科学普及"}, {"三", "段", "字段"}}
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(lines, []int{2, 4, 6}) {
		t.Errorf("got %q at lines %v, want %q at 2 4 6", got, lines, want)
	}
	stop := errors.New("stop")
	calls := 0
	if err := Read(table, func(int, []string) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("an error from fn: got %v after %d calls, want it after 1", err, calls)
	}
}
