package main

import (
	"fmt"

	"policysearch/internal/docscheck"
)

// evalDocsCmd checks the parser and the index against a folder of documents
// and what a careful reader gets from them (DIR/expected.json).
type evalDocsCmd struct {
	Dir      string `arg:"" type:"existingdir" help:"Folder of *.txt documents with their expected.json (see testdata/docs/README.md)."`
	Expected string `type:"existingfile" help:"Expectations file; default DIR/expected.json."`
	Markdown bool   `help:"Print the table as Markdown."`
	Wrong    bool   `help:"Print only the WRONG rows."`
}

// Run prints the table and fails when any check is WRONG.
func (c *evalDocsCmd) Run(g *globals) error {
	rep, err := docscheck.Check(c.Dir, docscheck.Options{Expected: c.Expected})
	if err != nil {
		return err
	}
	if c.Markdown {
		err = rep.WriteMarkdown(g.out, c.Wrong)
	} else {
		err = rep.WriteText(g.out, c.Wrong)
	}
	if err != nil {
		return err
	}
	if n := rep.Failures(); n > 0 {
		return fmt.Errorf("%s: %d of %d checks WRONG", c.Dir, n, len(rep.Rows))
	}
	return nil
}
