package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"policysearch/index"
	"policysearch/internal/gongwen"
)

// documentView is a document as the API shows it: its metadata and outline,
// with the name of the plan it sets out, which pages show beside its 文号.
type documentView struct {
	index.Document
	// Plan is the plan's own name: the attachment's title, else the title
	// without 关于印发…的通知.
	Plan string `json:"plan,omitempty"`
	// Series is the yearly series it belongs to, with the years present; the
	// previous year is the latest earlier one present (only the list sets it).
	Series *index.SeriesPlace `json:"series,omitempty"`
}

func newDocumentView(d index.Document, outline bool) documentView {
	if !outline {
		d.Outline = nil
	}
	return documentView{Document: d, Plan: gongwen.PlanName(&d)}
}

// documentList answers GET /api/v1/documents: every document, or those named
// by repeated id= (an id the library does not hold is left out, as a page may
// ask for a document a rebuild just removed); outline=false leaves the
// outlines out, for a page that needs only the names.
func (s *Server) documentList(c echo.Context, ix *index.Index) error {
	outline := true
	switch o := c.QueryParam("outline"); o {
	case "", "true", "1":
	case "false", "0":
		outline = false
	default:
		return invalid("outline must be true or false, not %q", o)
	}
	ids := c.QueryParams()["id"]
	var want map[string]bool
	if len(ids) > 0 {
		want = make(map[string]bool, len(ids))
		for _, id := range ids {
			want[id] = true
		}
	}
	docs := ix.Documents()
	series := ix.Series()
	out := make([]documentView, 0, len(docs))
	for _, d := range docs {
		if want == nil || want[d.ID] {
			v := newDocumentView(d, outline)
			if p, ok := series[d.ID]; ok {
				v.Series = &p
			}
			out = append(out, v)
		}
	}
	return c.JSON(http.StatusOK, map[string]interface{}{"documents": out})
}
