package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"path"
	"strings"

	"policysearch/internal/fault"
)

// zipFormat tells a .docx from an .ofd (and from the zip formats not read)
// by the files the archive holds.
func zipFormat(data []byte, hint Hint) (Format, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fault.New(fault.Unprocessable, "the file%s is a damaged or truncated zip archive (as a .docx or .ofd is): %v", named(hint), err)
	}
	var mimetype string
	for _, f := range zr.File {
		switch name := strings.TrimPrefix(f.Name, "/"); {
		case name == "word/document.xml":
			return DOCX, nil
		case strings.EqualFold(name, "OFD.xml"):
			return OFD, nil
		case name == "mimetype" && f.UncompressedSize64 < 200:
			if rc, err := f.Open(); err == nil {
				b, _ := io.ReadAll(io.LimitReader(rc, 200))
				rc.Close()
				mimetype = string(b)
			}
		case name == "xl/workbook.xml":
			return "", unsupported(hint, "an Excel workbook; save the sheet as PDF")
		case name == "ppt/presentation.xml":
			return "", unsupported(hint, "a PowerPoint presentation; save it as PDF")
		}
	}
	if strings.HasPrefix(mimetype, "application/vnd.oasis.opendocument") {
		return "", unsupported(hint, "an OpenDocument file (.odt); save it as .docx or PDF")
	}
	return "", unsupported(hint, "a zip archive that is not a Word document or OFD; send the documents one by one")
}

// unpacked is a zip archive read within a bound on what it unpacks to: the
// sizes its directory declares are checked first, and archive/zip refuses to
// read a member past its declared size, so a bomb costs nothing to refuse.
type unpacked struct {
	zr    *zip.Reader
	files map[string]*zip.File
	left  int64 // bytes that may still be unpacked
	limit int64
	kind  string // "Word document", for messages
}

func openZip(data []byte, limit int64, kind string) (*unpacked, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fault.New(fault.Unprocessable, "the %s is damaged or truncated: %v", kind, err)
	}
	var total uint64
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		total += f.UncompressedSize64
		files[strings.TrimPrefix(path.Clean("/"+f.Name), "/")] = f
	}
	if total > uint64(limit) {
		return nil, tooLarge(kind, limit)
	}
	return &unpacked{zr: zr, files: files, left: limit, limit: limit, kind: kind}, nil
}

func tooLarge(kind string, limit int64) error {
	return fault.New(fault.TooLarge, "the %s unpacks to more than %d MiB, the limit for a zip-based file (--max-upload bounds it); it is refused unread", kind, limit>>20)
}

// has reports whether the archive holds name.
func (u *unpacked) has(name string) bool { return u.files[name] != nil }

// find returns the member named name, ignoring case (OFD producers differ).
func (u *unpacked) find(name string) string {
	if u.files[name] != nil {
		return name
	}
	for n := range u.files {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}

// open returns a reader of one member that fails once the archive's bound is
// passed.
func (u *unpacked) open(name string) (io.ReadCloser, error) {
	f := u.files[name]
	if f == nil {
		return nil, fault.New(fault.Unprocessable, "the %s lacks %s", u.kind, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fault.New(fault.Unprocessable, "the %s is damaged: %s: %v", u.kind, name, err)
	}
	return &boundedReader{rc: rc, u: u, name: name}, nil
}

// read unpacks one member whole.
func (u *unpacked) read(name string) ([]byte, error) {
	rc, err := u.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, err
	}
	return b, nil
}

type boundedReader struct {
	rc   io.ReadCloser
	u    *unpacked
	name string
}

func (r *boundedReader) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	r.u.left -= int64(n)
	if r.u.left < 0 {
		return n, tooLarge(r.u.kind, r.u.limit)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		// zip.ErrFormat, zip.ErrChecksum, a corrupt deflate stream: the file's fault.
		return n, fault.New(fault.Unprocessable, "the %s is damaged: %s: %v", r.u.kind, r.name, err)
	}
	return n, err
}

func (r *boundedReader) Close() error { return r.rc.Close() }
