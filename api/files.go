package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"policysearch/internal/extract"
)

// upload is a document's file as POSTed: the request body itself, or the
// file part of a multipart/form-data form (with its file name).
type upload struct {
	data        []byte
	name        string
	contentType string
	id          string // a form's id field, where the query has none
	replace     string // a form's replace field
	series      string // a form's series field
}

// readUpload reads a POSTed document within --max-upload, then holds a plain
// text to --max-body: a file may be larger than a text ever is.
func (s *Server) readUpload(c echo.Context) (upload, error) {
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, s.opt.MaxUploadBytes)
	ct := r.Header.Get(echo.HeaderContentType)
	mt, _, _ := mime.ParseMediaType(ct)
	var u upload
	if mt == "multipart/form-data" {
		var err error
		if u, err = s.readForm(r); err != nil {
			return upload{}, err
		}
	} else {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return upload{}, s.uploadError(err)
		}
		u = upload{data: b, contentType: ct}
	}
	if len(u.data) == 0 {
		return upload{}, invalid("the request body is empty; send the document's file or text")
	}
	if f, err := extract.Detect(u.data, extract.Hint{Name: u.name, ContentType: u.contentType}); err == nil && f == extract.Text && int64(len(u.data)) > s.opt.MaxBodyBytes {
		return upload{}, errorf(http.StatusRequestEntityTooLarge, "a plain text may have at most %d bytes (--max-body); this one has %d", s.opt.MaxBodyBytes, len(u.data))
	}
	return u, nil
}

// readForm takes the one file of a multipart form, and its id, replace and series fields.
func (s *Server) readForm(r *http.Request) (upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return upload{}, invalid("the multipart form cannot be read: %v", err)
	}
	var u upload
	files := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return upload{}, s.uploadError(err)
		}
		switch {
		case part.FileName() != "" || part.FormName() == "file":
			if files++; files > 1 {
				return upload{}, invalid("send one file per request; the form holds more than one")
			}
			b, err := io.ReadAll(part)
			if err != nil {
				return upload{}, s.uploadError(err)
			}
			u.data, u.name, u.contentType = b, part.FileName(), part.Header.Get(echo.HeaderContentType)
		case part.FormName() == "id" || part.FormName() == "replace" || part.FormName() == "series":
			b, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				return upload{}, s.uploadError(err)
			}
			switch v := strings.TrimSpace(string(b)); part.FormName() {
			case "id":
				u.id = v
			case "replace":
				u.replace = v
			default:
				u.series = v
			}
		}
		part.Close()
	}
	if files == 0 {
		return upload{}, invalid("the form holds no file; send it in a part named file")
	}
	return u, nil
}

func (s *Server) uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errorf(http.StatusRequestEntityTooLarge, "the file is larger than %d MiB (--max-upload)", s.opt.MaxUploadBytes>>20)
	}
	return invalid("the request body cannot be read: %v", err)
}

// source answers GET /api/v1/documents/{id}/source: the document's file as it
// was stored, as an attachment of its own type.
func (s *Server) source(c echo.Context) error {
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	if s.opt.Library == nil {
		return notFound("no document %q", id)
	}
	data, name, ctype, err := s.opt.Library.Original(id)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	// An HTML original is a file to save, never a page of this origin.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'")
	return c.Blob(http.StatusOK, ctype, data)
}

// text answers GET /api/v1/documents/{id}/text: the text the parser read
// from the document's file, whose lines its warnings count.
func (s *Server) text(c echo.Context) error {
	id, err := pathParam(c, "id")
	if err != nil {
		return err
	}
	if s.opt.Library == nil {
		return notFound("no document %q", id)
	}
	t, err := s.opt.Library.Text(id)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(t))
}
