package main

import "errors"

// genCmd writes a synthetic corpus for benchmarks.
type genCmd struct {
	Clauses int    `default:"1000" help:"Number of item clauses to write."`
	Seed    int64  `default:"1" help:"Random seed; the same seed writes the same corpus."`
	Out     string `required:"" help:"Folder to write *.txt documents into."`
}

func (c *genCmd) Run(g *globals) error {
	return errors.New("gen: not implemented yet")
}
