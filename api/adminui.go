package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// adminPage is the admin page (/admin): its script and styles are web/admin.js
// and web/admin.css, served under /ui/ like the search page's. It lives
// outside web/ so that it is served only here, with the pages' CSP.
//
//go:embed admin.html
var adminPage []byte

// registerAdminUI serves the admin page and the token check it logs in with.
func (s *Server) registerAdminUI(e *echo.Echo) {
	e.Match([]string{http.MethodGet, http.MethodHead}, "/admin", func(c echo.Context) error {
		return servePage(c, http.StatusOK, adminPage)
	})
	e.GET("/api/v1/admin/token", func(c echo.Context) error {
		// The admin middleware has checked the bearer token: 204, else 401 or 403.
		return c.NoContent(http.StatusNoContent)
	}, s.admin)
}
