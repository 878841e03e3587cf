package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"policysearch/internal/synth"
)

// genCmd writes a synthetic corpus for benchmarks.
type genCmd struct {
	Clauses int    `default:"1000" help:"Number of item clauses to write."`
	Seed    int64  `default:"1" help:"Random seed; the same seed writes the same corpus."`
	Out     string `required:"" help:"Folder to write *.txt documents into."`
}

// Run writes the documents into Out, replacing a synthetic corpus written there
// before, so that `serve --corpus Out` serves exactly this one.
func (c *genCmd) Run(g *globals) error {
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(c.Out, "synth-*.txt"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	docs, bytes := 0, 0
	err = synth.Each(synth.Options{Items: c.Clauses, Seed: uint64(c.Seed)}, func(d synth.Document) error {
		docs++
		bytes += len(d.Text)
		return os.WriteFile(filepath.Join(c.Out, d.ID+".txt"), d.Text, 0o644)
	})
	if err != nil {
		return err
	}
	others, _ := filepath.Glob(filepath.Join(c.Out, "*.txt"))
	note := ""
	if n := len(others) - docs; n > 0 {
		note = fmt.Sprintf("; %d other *.txt in %s will be served with them", n, c.Out)
	}
	fmt.Fprintf(g.out, "wrote %d documents, %d items, %.1f MB of text to %s%s\n",
		docs, c.Clauses, float64(bytes)/1e6, strings.TrimSuffix(c.Out, "/"), note)
	return nil
}
