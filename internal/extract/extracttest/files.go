package extracttest

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"html"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TextPage is a text set as an A4 page of a 公文 for printing: each non-blank
// line a paragraph, in a Chinese serif at 16 pt.
func TextPage(text string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>` +
		`body{font-family:"Noto Serif CJK SC",serif;font-size:16pt;line-height:1.7;margin:0}p{margin:0}` +
		`</style></head><body>`)
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			b.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
		}
	}
	b.WriteString("</body></html>")
	return b.String()
}

// GB18030 encodes a text as a Windows machine in China saves it ("ANSI").
func GB18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ScanPage is a page holding only a picture of text (grey bars where lines
// are), as a scanner makes: printed, it is a PDF without a text layer.
func ScanPage(t testing.TB) string {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 600, 800))
	for i := range img.Pix {
		img.Pix[i] = 250
	}
	for y := 80; y < 740; y += 36 {
		for x := 60; x < 540-(y%5)*30; x++ {
			for dy := 0; dy < 14; dy++ {
				img.SetGray(x, y+dy, color.Gray{Y: 40})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0}img{width:100%}</style></head><body>` +
		`<img src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(buf.Bytes()) + `"></body></html>`
}

// ZipBomb is a real .docx whose word/document.xml is padded (inside an XML
// comment) to unpacked bytes: a few hundred kilobytes that unpack to far more.
func ZipBomb(t testing.TB, docx []byte, unpacked int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		if f.Name == "word/document.xml" {
			body := b.String()
			i := strings.Index(body, "<w:body>")
			w.Write([]byte(body[:i]))
			w.Write([]byte("<!--"))
			pad := bytes.Repeat([]byte(" "), 1<<20)
			for n := 0; n < unpacked; n += len(pad) {
				w.Write(pad)
			}
			w.Write([]byte("-->"))
			w.Write([]byte(body[i:]))
			continue
		}
		w.Write(b.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
