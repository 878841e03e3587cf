package api

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"policysearch/index"
)

// admin guards the endpoints that change the corpus: disabled without a
// configured token, and open only to a request bearing it.
func (s *Server) admin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.opt.AdminToken == "" || s.opt.Library == nil {
			return errorf(http.StatusForbidden, "admin endpoints are disabled; start the server with --admin-token")
		}
		auth := c.Request().Header.Get(echo.HeaderAuthorization)
		token, ok := strings.CutPrefix(auth, "Bearer ")
		// Compared in constant time, so response timing does not leak the token.
		if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.opt.AdminToken)) != 1 {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="policysearch"`)
			return errorf(http.StatusUnauthorized, "a valid admin token is required: Authorization: Bearer <token>")
		}
		return next(c)
	}
}

// ingest adds a document: parsed, written durably, indexed, then acknowledged.
func (s *Server) ingest(c echo.Context) error {
	// The body is the file (PDF, .docx, web page, OFD, text in UTF-8 or
	// GBK), or a multipart form holding it (files.go).
	up, err := s.readUpload(c)
	if err != nil {
		return err
	}
	id, replaceParam, series := c.QueryParam("id"), c.QueryParam("replace"), c.QueryParam("series")
	if id == "" {
		id = up.id
	}
	if series == "" {
		series = up.series
	}
	if replaceParam == "" {
		replaceParam = up.replace
	}
	var replace bool
	switch r := replaceParam; r {
	case "", "false", "0":
	case "true", "1":
		replace = true
	default:
		return invalid("replace must be true or false, not %q", r)
	}
	added, replaced, err := s.opt.Library.IngestFile(id, up.data, up.name, up.contentType, series, replace)
	if err != nil {
		return err
	}
	s.log.Info("document ingested", "request_id", requestID(c), "id", added.ID, "clauses", added.Clauses, "replaced", replaced)
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/documents/"+added.ID)
	status := http.StatusCreated
	if replaced {
		status = http.StatusOK
	}
	return c.JSON(status, ingested{Added: added, Replaced: replaced})
}

// ingested is the answer to an ingestion: the document, and whether it took
// the place of one the library held.
type ingested struct {
	index.Added
	Replaced bool `json:"replaced"`
}

func (s *Server) deleteDocument(c echo.Context) error {
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.opt.Library.Delete(id); err != nil {
		return err
	}
	s.log.Info("document deleted", "request_id", requestID(c), "id", id)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) reindex(c echo.Context) error {
	if err := s.opt.Library.Reindex(); err != nil {
		return err
	}
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	m := ix.Manifest()
	return c.JSON(http.StatusOK, map[string]interface{}{"documents": len(m.Documents), "clauses": m.Clauses, "built": m.Built})
}
