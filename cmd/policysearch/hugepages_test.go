package main

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestTunedEnv(t *testing.T) {
	for _, c := range []struct {
		env     []string
		want    []string
		changed bool
	}{
		{[]string{"PATH=/bin"}, []string{"PATH=/bin", "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"}, true},
		{[]string{"GLIBC_TUNABLES=", "PATH=/bin"}, []string{"PATH=/bin", "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"}, true},
		{[]string{"GLIBC_TUNABLES=glibc.malloc.arena_max=2", "HOME=/h"},
			[]string{"HOME=/h", "GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"}, true},
		// The operator's choice, and the re-executed process, are left alone.
		{[]string{"GLIBC_TUNABLES=glibc.malloc.hugetlb=0"}, []string{"GLIBC_TUNABLES=glibc.malloc.hugetlb=0"}, false},
		{[]string{"GLIBC_TUNABLES=glibc.malloc.hugetlb=1", "A=b"}, []string{"GLIBC_TUNABLES=glibc.malloc.hugetlb=1", "A=b"}, false},
	} {
		got, changed := tunedEnv(c.env)
		if changed != c.changed || !slices.Equal(got, c.want) {
			t.Errorf("tunedEnv(%q) = %q, %v; want %q, %v", c.env, got, changed, c.want, c.changed)
		}
	}
}

// checkHugePages asserts that the server pid (the same process after its
// re-exec) runs with the tunable and, where the kernel offers transparent huge
// pages, holds some: jieba's dictionary is then on them.
func checkHugePages(t *testing.T, pid int) {
	t.Helper()
	environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(string(environ), "\x00"), "GLIBC_TUNABLES="+hugePages) {
		t.Fatalf("the server runs without %s: %q", hugePages, environ)
	}
	thp, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(thp), "[never]") {
		t.Logf("transparent huge pages are off here (%q, %v): the tunable is set but has nothing to use", thp, err)
		return
	}
	smaps, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^AnonHugePages:\s+(\d+) kB`).FindSubmatch(smaps)
	if m == nil || string(m[1]) == "0" {
		t.Fatalf("the server holds no huge pages:\n%s", smaps)
	}
}
