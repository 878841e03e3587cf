package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"policysearch/index"
	"policysearch/internal/compare"
	"policysearch/internal/gongwen"
)

// compareCmd prints what changed between two documents of a series.
type compareCmd struct {
	corpusFlags
	JSON bool   `help:"Print the comparison as JSON, as GET /api/v1/compare answers."`
	From string `arg:"" help:"The earlier document's id."`
	To   string `arg:"" help:"The later document's id."`
}

func (c *compareCmd) Run(g *globals) error {
	ix, _, _, err := openIndex(c.corpusFlags, index.Options{LockTimeout: time.Second})
	if err != nil {
		return err
	}
	defer ix.Close()
	res, err := ix.Compare(c.From, c.To)
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(g.out, res)
	}
	printComparison(g.out, res, isTerminal(g.out))
	return nil
}

// printComparison writes a comparison for a person: the pairs that changed with
// their diffs (deleted words in red and inserted in green on a terminal, as
// [-…-] and {+…+} elsewhere), the new and dropped items, the departments that
// gained or lost tasks and the campaigns.
func printComparison(w io.Writer, res *index.Comparison, tty bool) {
	del, ins, end := "[-", "{+", [2]string{"-]", "+}"}
	if tty {
		del, ins, end = "\x1b[31;9m", "\x1b[32;4m", [2]string{"\x1b[0m", "\x1b[0m"}
	}
	titles := map[string]string{}
	for _, d := range []*gongwen.Document{&res.From, &res.To} {
		walkItems(d.Outline, func(r gongwen.ItemRef) { titles[r.ID] = r.Title })
	}
	name := func(d gongwen.Document) string {
		s := "《" + gongwen.PlanName(&d) + "》 " + d.ID
		if d.Number != "" {
			s += " " + d.Number
		}
		return s
	}
	changed, moved := 0, 0
	for _, p := range res.Pairs {
		if p.Changed {
			changed++
		}
		if p.Moved {
			moved++
		}
	}
	fmt.Fprintf(w, "%s\n→ %s\n", name(res.From), name(res.To))
	fmt.Fprintf(w, "%d items are the same task (%d with changed text, %d moved to another section), %d new, %d dropped\n",
		len(res.Pairs), changed, moved, len(res.New), len(res.Dropped))

	fmt.Fprintln(w, "\n同一任务（上一年 → 本年，相似度）")
	for _, p := range res.Pairs {
		mark := ""
		if p.Moved {
			mark = "  移至其他部分"
		}
		if !p.Changed {
			mark += "  未改"
		}
		fmt.Fprintf(w, "  %d → %d  %.2f  %s%s\n", p.FromNumber, p.ToNumber, p.Similarity, titles[p.To], mark)
		if !p.Changed {
			continue
		}
		var b strings.Builder
		for _, r := range p.Diff {
			switch r.Op {
			case compare.OpDelete:
				b.WriteString(del + r.Text + end[0])
			case compare.OpInsert:
				b.WriteString(ins + r.Text + end[1])
			default:
				b.WriteString(r.Text)
			}
		}
		fmt.Fprintf(w, "      %s\n", b.String())
	}
	list := func(heading string, ids []string) {
		fmt.Fprintf(w, "\n%s（%d）\n", heading, len(ids))
		for _, id := range ids {
			fmt.Fprintf(w, "  %s  %s\n", id, titles[id])
		}
	}
	list("新增", res.New)
	list("删除", res.Dropped)

	fmt.Fprintln(w, "\n部门（增加 / 减少 / 保留的任务）")
	for _, d := range res.Departments {
		if len(d.Gained)+len(d.Lost) == 0 {
			fmt.Fprintf(w, "  %s  保留 %d%s\n", d.Name, len(d.Kept), formerly(d.Formerly))
			continue
		}
		fmt.Fprintf(w, "  %s  增加 %s  减少 %s  保留 %d%s\n", d.Name, numbers(d.Gained), numbers(d.Lost), len(d.Kept), formerly(d.Formerly))
	}
	fmt.Fprintf(w, "\n活动\n  新提及：%s\n  不再提及：%s\n", orNone(res.Campaigns.New), orNone(res.Campaigns.Dropped))
}

func walkItems(ss []gongwen.Section, fn func(gongwen.ItemRef)) {
	for _, s := range ss {
		for _, r := range s.Items {
			fn(r)
		}
		walkItems(s.Subsections, fn)
	}
}

// numbers shows clause ids by what follows the document id: 5, h2-1.
func numbers(ids []string) string {
	if len(ids) == 0 {
		return "—"
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id[strings.LastIndex(id, ":")+1:]
	}
	return strings.Join(out, "、")
}

func formerly(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "（原" + strings.Join(names, "、") + "）"
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "无"
	}
	return strings.Join(names, "、")
}
