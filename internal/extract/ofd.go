package extract

import (
	"math"
	"path"
	"sort"
	"strconv"
	"strings"

	"policysearch/internal/fault"
)

// ofdText reads an OFD document (GB/T 33190: a zip of XML): OFD.xml names
// each document's Document.xml, which lists its pages; a page's Content.xml
// places text objects at coordinates. The text is read line by line (objects
// on one baseline, left to right) and the pages joined as a PDF's are.
func ofdText(data []byte, limit int64) (string, int, error) {
	z, err := openZip(data, limit, "OFD document")
	if err != nil {
		return "", 0, err
	}
	root, err := z.dom(z.find("OFD.xml"))
	if err != nil {
		return "", 0, err
	}
	var pages []string
	for _, body := range root.path("OFD").children("DocBody") {
		docPath := resolve("", strings.TrimSpace(text(body.child("DocRoot"))))
		if z.find(docPath) == "" {
			continue
		}
		doc, err := z.dom(z.find(docPath))
		if err != nil {
			return "", 0, err
		}
		base := path.Dir(docPath)
		for _, pg := range doc.path("Document", "Pages").children("Page") {
			loc, _ := pg.attr("BaseLoc")
			name := z.find(resolve(base, loc))
			if name == "" {
				continue
			}
			content, err := z.dom(name)
			if err != nil {
				return "", 0, err
			}
			pages = append(pages, ofdPage(content))
		}
	}
	if len(pages) == 0 {
		return "", 0, fault.New(fault.Unprocessable, "the OFD document has no pages")
	}
	empty := true
	for _, p := range pages {
		if strings.TrimSpace(p) != "" {
			empty = false
		}
	}
	if empty {
		return "", len(pages), fault.New(fault.Unprocessable,
			"the OFD document's %d page(s) hold no text: it is a scan (images of pages). Run OCR on it, or send the document as text, .docx or a web page", len(pages))
	}
	return joinPages(pages), len(pages), nil
}

func (u *unpacked) dom(name string) (*xnode, error) {
	if name == "" {
		return nil, fault.New(fault.Unprocessable, "the %s lacks OFD.xml", u.kind)
	}
	rc, err := u.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return parseDOM(rc, name)
}

// resolve names a file of the package: an absolute ("/Doc_0/…") or a relative
// location (to base).
func resolve(base, loc string) string {
	loc = strings.TrimSpace(loc)
	if strings.HasPrefix(loc, "/") {
		return strings.TrimPrefix(path.Clean(loc), "/")
	}
	return strings.TrimPrefix(path.Clean("/"+path.Join(base, loc)), "/")
}

// text is the character data directly inside n.
func text(n *xnode) string {
	if n == nil {
		return ""
	}
	return n.chars
}

type ofdRun struct {
	x, y float64
	s    string
}

// ofdPage is one page's text: runs grouped by baseline, then left to right.
func ofdPage(content *xnode) string {
	var runs []ofdRun
	var visit func(n *xnode)
	visit = func(n *xnode) {
		if n.name == "TextObject" {
			bx, by := boundary(n)
			for _, tc := range n.children("TextCode") {
				x, _ := strconv.ParseFloat(firstAttr(tc, "X"), 64)
				y, _ := strconv.ParseFloat(firstAttr(tc, "Y"), 64)
				if s := tc.chars; strings.TrimSpace(s) != "" {
					runs = append(runs, ofdRun{x: bx + x, y: by + y, s: s})
				}
			}
			return
		}
		for _, k := range n.kids {
			visit(k)
		}
	}
	visit(content)
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].y < runs[j].y })
	var b strings.Builder
	for i := 0; i < len(runs); {
		// A line: the runs within 1.5 mm of its first baseline, left to right.
		j := i + 1
		for j < len(runs) && math.Abs(runs[j].y-runs[i].y) <= 1.5 {
			j++
		}
		line := runs[i:j]
		sort.SliceStable(line, func(a, b int) bool { return line[a].x < line[b].x })
		for _, r := range line {
			b.WriteString(r.s)
		}
		b.WriteByte('\n')
		i = j
	}
	return b.String()
}

func boundary(n *xnode) (float64, float64) {
	f := strings.Fields(firstAttr(n, "Boundary"))
	if len(f) < 2 {
		return 0, 0
	}
	x, _ := strconv.ParseFloat(f[0], 64)
	y, _ := strconv.ParseFloat(f[1], 64)
	return x, y
}
