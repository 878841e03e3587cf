package api

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// maxAnalyzeLen bounds the text /analyze segments, in characters.
const maxAnalyzeLen = 2000

func (s *Server) departments(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	return c.JSON(http.StatusOK, map[string]interface{}{"departments": ix.Departments()})
}

func (s *Server) department(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	name, err := pathParam(c, "name")
	if err != nil {
		return err
	}
	if _, err := ix.FindDepartment(name); err != nil {
		return notFound("%v", err)
	}
	d, ok := ix.DepartmentDetail(name)
	if !ok {
		return notFound("no department %q", name)
	}
	return c.JSON(http.StatusOK, d)
}

func (s *Server) campaigns(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	return c.JSON(http.StatusOK, map[string]interface{}{"campaigns": ix.Campaigns()})
}

func (s *Server) campaign(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	name, err := pathParam(c, "name")
	if err != nil {
		return err
	}
	cp, ok := ix.Campaign(name)
	if !ok {
		return notFound("no campaign %q; /api/v1/campaigns lists them", name)
	}
	return c.JSON(http.StatusOK, cp)
}

func (s *Server) suggest(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	q := c.QueryParam("q")
	if strings.TrimSpace(q) == "" {
		return invalid("q is empty; give the start of a word")
	}
	if n := utf8.RuneCountInString(q); n > s.opt.MaxQueryLen {
		return invalid("q has %d characters; the limit is %d", n, s.opt.MaxQueryLen)
	}
	return c.JSON(http.StatusOK, map[string]interface{}{"query": q, "suggestions": ix.Suggest(q, 10)})
}

func (s *Server) analyze(c echo.Context) error {
	ix, release, err := s.acquire()
	if err != nil {
		return err
	}
	defer release()
	text := c.QueryParam("text")
	if text == "" {
		return invalid("text is empty")
	}
	if n := utf8.RuneCountInString(text); n > maxAnalyzeLen {
		return invalid("text has %d characters; the limit is %d", n, maxAnalyzeLen)
	}
	tokens, err := ix.Analyze(text)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]interface{}{"text": text, "analyzers": tokens})
}

// pathParam returns a path parameter unescaped: names in Chinese arrive
// percent-encoded.
func pathParam(c echo.Context, name string) (string, error) {
	v, err := url.PathUnescape(c.Param(name))
	if err != nil || !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return "", invalid("the %s in the path is not valid percent-encoded UTF-8", name)
	}
	return v, nil
}
