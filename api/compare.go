package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// compareDocuments answers GET /api/v1/compare?from=ID&to=ID: the items of
// two documents aligned, with word-level diffs as runs of plain text (the page
// renders them with classes; the API sends no markup).
func (s *Server) compareDocuments(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	for _, p := range []string{"from", "to"} {
		if vs := c.QueryParams()[p]; len(vs) > 1 {
			return invalid("%s is given %d times: compare one document with one other", p, len(vs))
		}
	}
	res, err := ix.Compare(c.QueryParam("from"), c.QueryParam("to"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
