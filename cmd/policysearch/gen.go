package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"policysearch/internal/segment"
	"policysearch/internal/synth"
)

// genCmd writes a synthetic corpus for benchmarks, or a yearly series with the
// edits between its years for measuring comparisons.
type genCmd struct {
	Clauses   int     `default:"1000" help:"Number of item clauses to write; with --series, the items of the first year's document."`
	Seed      int64   `default:"1" help:"Random seed; the same seed writes the same corpus."`
	Series    int     `help:"Write a yearly series of this many documents instead, each year made from the one before by known edits, and the edits to series-edits.json."`
	RewordMin float64 `default:"0.3333" help:"With --series: the least share of a reworded item's words replaced or reordered."`
	RewordMax float64 `default:"0.5" help:"With --series: the largest share of a reworded item's words replaced or reordered."`
	Out       string  `required:"" help:"Folder to write *.txt documents into."`
}

// Run writes the documents into Out, replacing a synthetic corpus (or series)
// written there before, so that `serve --corpus Out` serves exactly this one.
func (c *genCmd) Run(g *globals) error {
	prefix := "synth-"
	if c.Series > 0 {
		prefix = "series-"
	}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(c.Out, prefix+"*.txt"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	docs, bytes := 0, 0
	write := func(d synth.Document) error {
		docs++
		bytes += len(d.Text)
		return os.WriteFile(filepath.Join(c.Out, d.ID+".txt"), d.Text, 0o644)
	}
	what := fmt.Sprintf("%d items", c.Clauses)
	if c.Series > 0 {
		if err := c.writeSeries(write); err != nil {
			return err
		}
		what = fmt.Sprintf("a series from %d items, the edits in %s", c.Clauses, filepath.Join(c.Out, "series-edits.json"))
	} else if err := synth.Each(synth.Options{Items: c.Clauses, Seed: uint64(c.Seed)}, write); err != nil {
		return err
	}
	others, _ := filepath.Glob(filepath.Join(c.Out, "*.txt"))
	note := ""
	if n := len(others) - docs; n > 0 {
		note = fmt.Sprintf("; %d other *.txt in %s will be served with them", n, c.Out)
	}
	fmt.Fprintf(g.out, "wrote %d documents, %s, %.1f MB of text to %s%s\n",
		docs, what, float64(bytes)/1e6, strings.TrimSuffix(c.Out, "/"), note)
	return nil
}

func (c *genCmd) writeSeries(write func(synth.Document) error) error {
	seg, err := segment.Shared(c.Out)
	if err != nil {
		return err
	}
	docs, edits, err := synth.Series(synth.SeriesOptions{Years: c.Series, Items: c.Clauses, Seed: uint64(c.Seed),
		RewordMin: c.RewordMin, RewordMax: c.RewordMax}, seg)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if err := write(d); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(edits, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(c.Out, "series-edits.json"), append(b, '\n'), 0o644)
}
