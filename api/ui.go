package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"policysearch/index"
)

// web holds the search page and the widget: plain files, no build step, so a
// fresh clone serves them with `go run`.
//
//go:embed web
var web embed.FS

// uiPolicy is the Content-Security-Policy of the pages. Scripts and styles come
// only from the service's own files, so a highlight that somehow carried markup
// could still not run anything.
const uiPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

// asset is one embedded file as served.
type asset struct {
	body  []byte
	ctype string
	etag  string
}

// page is a rendering of index.html. The search page and the clause pages are
// the same document; root is the relative way back to the service's root from
// the page's path (<base href>), so the UI also works behind a proxy prefix.
type page struct {
	Root string // "./" at / and /compare, "../" at /clauses/{id} and /documents/{id}
	Kind string // search, clause, document or compare: which view the script draws
}

// registerUI serves the web UI and the embeddable widget.
func (s *Server) registerUI(e *echo.Echo) {
	tmpl := template.Must(template.ParseFS(web, "web/index.html"))
	render := func(p page) []byte {
		var b bytes.Buffer
		if err := tmpl.Execute(&b, p); err != nil {
			panic(err) // the template is embedded: a failure is a bug caught by every test
		}
		return b.Bytes()
	}
	searchPage := render(page{Root: "./", Kind: "search"})
	clausePage := render(page{Root: "../", Kind: "clause"})
	documentPage := render(page{Root: "../", Kind: "document"})
	comparePage := render(page{Root: "./", Kind: "compare"})

	files := map[string]asset{}
	err := fs.WalkDir(web, "web", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := web.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		files[strings.TrimPrefix(name, "web/")] = asset{
			body:  body,
			ctype: contentType(name),
			etag:  `"` + hex.EncodeToString(sum[:8]) + `"`,
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	widget := files["widget.js"]

	get := []string{http.MethodGet, http.MethodHead}
	e.Match(get, "/", func(c echo.Context) error {
		return servePage(c, http.StatusOK, searchPage)
	})
	e.Match(get, "/clauses/:id", func(c echo.Context) error {
		return servePage(c, s.pageStatus(c, holdsClause(c.Request().Context())), clausePage)
	})
	e.Match(get, "/documents/:id", func(c echo.Context) error {
		return servePage(c, s.pageStatus(c, holdsDocument), documentPage)
	})
	// The compare page asks the API itself and shows its refusals (unknown or
	// missing ids) in the page.
	e.Match(get, "/compare", func(c echo.Context) error {
		return servePage(c, http.StatusOK, comparePage)
	})
	e.Match(get, "/widget.js", func(c echo.Context) error {
		// Portals on other origins load it with a plain <script> tag, which
		// needs no CORS; the API calls it then makes are what --cors-origins governs.
		c.Response().Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		return serveAsset(c, widget)
	})
	e.Match(get, "/ui/*", func(c echo.Context) error {
		name := c.Param("*")
		a, ok := files[name]
		if !ok || name == "index.html" || name == "widget.js" {
			return echo.ErrNotFound
		}
		return serveAsset(c, a)
	})
}

// pageStatus is 404 for the page of a clause or document (named by the path's
// id) that the live index does not hold, so a stale link is not reported as a
// page that exists. The page itself then says so; while no index is open the
// script shows the API's own answer.
func (s *Server) pageStatus(c echo.Context, holds func(ix *index.Index, id string) bool) int {
	ix, release, err := s.acquire()
	if err != nil {
		return http.StatusOK
	}
	defer release()
	id, err := pathParam(c, "id")
	if err != nil || !holds(ix, id) {
		return http.StatusNotFound
	}
	return http.StatusOK
}

func holdsClause(ctx context.Context) func(*index.Index, string) bool {
	return func(ix *index.Index, id string) bool {
		_, err := ix.Clause(ctx, id)
		return !errors.Is(err, index.ErrNotFound)
	}
}

func holdsDocument(ix *index.Index, id string) bool {
	_, ok := ix.Document(id)
	return ok
}

func servePage(c echo.Context, status int, body []byte) error {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", uiPolicy)
	h.Set("Cache-Control", "no-cache")
	return c.Blob(status, "text/html; charset=utf-8", body)
}

// serveAsset answers with the file, or 304 when the browser holds this
// version: the files change only with the binary, so the hash is the version.
func serveAsset(c echo.Context, a asset) error {
	h := c.Response().Header()
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, a.ctype, a.body)
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "application/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".html":
		return "text/html; charset=utf-8"
	}
	return "application/octet-stream"
}
