package api

import "github.com/labstack/echo/v4"

// registerUI serves the web UI and the embeddable widget.
func (s *Server) registerUI(e *echo.Echo) {}
