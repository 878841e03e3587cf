package main

import (
	"fmt"
	"strings"
	"time"

	"policysearch/index"
)

type departmentsCmd struct {
	corpusFlags
	JSON bool   `help:"Print JSON."`
	Name string `arg:"" optional:"" help:"A department, short or official name; without it, all of them."`
}

func (c *departmentsCmd) Run(g *globals) error {
	ix, _, _, err := openIndex(c.corpusFlags, index.Options{LockTimeout: time.Second})
	if err != nil {
		return err
	}
	defer ix.Close()
	if c.Name == "" {
		if c.JSON {
			return printJSON(g.out, ix.Departments())
		}
		for _, d := range ix.Departments() {
			fmt.Fprintf(g.out, "%-28s %3d items  %s\n", d.Name, len(d.Items), joinInts(d.Items))
		}
		return nil
	}
	d, ok := ix.DepartmentDetail(c.Name)
	if !ok {
		return fmt.Errorf("no department %q; did you mean %s?", c.Name, strings.Join(ix.SuggestDepartments(c.Name, 3), ", "))
	}
	if c.JSON {
		return printJSON(g.out, d)
	}
	fmt.Fprintf(g.out, "%s (%s)\nitems: %s\n", d.Name, d.Official, joinInts(d.Items))
	if d.AllUnits != nil {
		fmt.Fprintf(g.out, "assigned to all responsible units (%s): %s\n", d.AllUnits.Name, joinInts(d.AllUnits.Items))
	}
	return nil
}

type campaignsCmd struct {
	corpusFlags
	JSON bool   `help:"Print JSON."`
	Name string `arg:"" optional:"" help:"A campaign; without it, all of them."`
}

func (c *campaignsCmd) Run(g *globals) error {
	ix, _, _, err := openIndex(c.corpusFlags, index.Options{LockTimeout: time.Second})
	if err != nil {
		return err
	}
	defer ix.Close()
	list := ix.Campaigns()
	if c.Name != "" {
		cp, ok := ix.Campaign(c.Name)
		if !ok {
			return fmt.Errorf("no campaign %q; `policysearch campaigns` lists them", c.Name)
		}
		list = []index.Campaign{cp}
	}
	if c.JSON {
		return printJSON(g.out, list)
	}
	for _, cp := range list {
		fmt.Fprintf(g.out, "%-36s items %s\n", cp.Name, joinInts(cp.Items))
	}
	return nil
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ", ")
}
