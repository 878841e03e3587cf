package gongwen_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policysearch/internal/gongwen"
)

// The -update flag is the package's (parse_test.go); it is defined here only
// if the package's own tests stop defining it.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files from the parser's output")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

const fixtureDir = "../../testdata/docs"

// TestGoldenFixtures: the parser's whole output for every fixture document is
// the reviewed one in testdata/docs/golden/<name>.json. After a deliberate
// change: go test ./internal/gongwen -run Golden -update, and review the diff.
func TestGoldenFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no fixture documents in %s", fixtureDir)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := gongwen.Parse(name, src)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(doc); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			golden := filepath.Join(fixtureDir, "golden", name+".json")
			if updating() {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v; run go test ./internal/gongwen -run Golden -update and review the new file", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("parse output differs from %s; run go test ./internal/gongwen -run Golden -update and review the diff:\n%s",
					golden, firstDifference(string(want), string(got)))
			}
		})
	}
}

// firstDifference shows the first differing line of two texts with a little context.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	for j := max(0, i-3); j < i; j++ {
		fmt.Fprintf(&b, "  %4d   %s\n", j+1, g[j])
	}
	for j := i; j < i+3 && j < len(w); j++ {
		fmt.Fprintf(&b, "- %4d   %s\n", j+1, w[j])
	}
	for j := i; j < i+3 && j < len(g); j++ {
		fmt.Fprintf(&b, "+ %4d   %s\n", j+1, g[j])
	}
	return b.String()
}
