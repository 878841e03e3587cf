package api

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"policysearch/internal/extract"
	"policysearch/internal/extract/extracttest"
	"policysearch/internal/library"
)

// multipartBody is a form with one file part, as a browser sends it.
func multipartBody(t *testing.T, name string, data []byte) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	return &b, w.FormDataContentType()
}

// Every format goes in through POST /api/v1/documents — as the body or as a
// form's file — and comes back as a document with its format and pages, its
// original at /source and its text at /text; bad files are each a 4xx with
// the contract's code, and nothing of them is stored.
func TestIngestFiles(t *testing.T) {
	plain := string(extracttest.Fixture(t, "plain-notice.txt"))
	pdf := extracttest.PrintPDF(t, extracttest.TextPage(plain), extracttest.PrintOptions{PageNumbers: true})
	scan := extracttest.PrintPDF(t, extracttest.ScanPage(t), extracttest.PrintOptions{})
	docx := extracttest.Convert(t, "tasks.html", extracttest.Fixture(t, "tasks.html"), `docx:"MS Word 2007 XML"`)
	doc := extracttest.Convert(t, "tasks.html", extracttest.Fixture(t, "tasks.html"), `doc:"MS Word 97"`)
	gbk := extracttest.GB18030(t, strings.Replace(plain, "〔2023〕5号", "〔2023〕6号", 1))
	page := extracttest.GB18030(t, string(extracttest.Fixture(t, "gov-page.html")))

	base, srv, _ := startServer(t, Options{AdminToken: "t0k", MaxBodyBytes: 64 << 10, MaxUploadBytes: 4 << 20}, nil)
	srv.opt.Library.(*library.Manager).SetExtractor(extract.New(extract.Options{
		CacheDir: filepath.Join(os.TempDir(), "policysearch-test-cache"), MaxUnpacked: 32 << 20}))
	dataDir := filepath.Dir(filepath.Dir(srv.Index().Dir()))
	auth := func(ct string) map[string]string {
		return map[string]string{"Authorization": "Bearer t0k", "Content-Type": ct}
	}
	stored := func() []string {
		entries, _ := os.ReadDir(filepath.Join(dataDir, library.IngestedDir))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		return names
	}
	type answer struct {
		ID       string
		Clauses  int
		Warnings []struct{ Line int }
	}
	ingest := func(path string, body []byte, ct string) answer {
		t.Helper()
		res, b := send(t, "POST", base+path, bytes.NewReader(body), auth(ct))
		var a answer
		json.Unmarshal([]byte(b), &a)
		if res.StatusCode != 201 || a.Clauses == 0 {
			t.Fatalf("POST %s (%s): %d %s", path, ct, res.StatusCode, b)
		}
		return a
	}
	docMeta := func(id string) map[string]interface{} {
		t.Helper()
		_, b := send(t, "GET", base+"/api/v1/documents/"+id, nil, nil)
		var m map[string]interface{}
		json.Unmarshal([]byte(b), &m)
		return m
	}

	// A PDF as the body.
	ingest("/api/v1/documents?id=beibei-pdf", pdf, "application/pdf")
	if m := docMeta("beibei-pdf"); m["format"] != "pdf" || m["pages"] == nil || m["extractor"] != extract.Version || m["number"] != "北碚科协发〔2023〕5号" {
		t.Errorf("PDF document: %v", m)
	}
	res, b := send(t, "GET", base+"/api/v1/documents/beibei-pdf/source", nil, nil)
	if res.StatusCode != 200 || b != string(pdf) || res.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), `attachment; filename=beibei-pdf.pdf`) {
		t.Errorf("/source: %d %s %s (%d bytes)", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), len(b))
	}
	res, b = send(t, "GET", base+"/api/v1/documents/beibei-pdf/text", nil, nil)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") || !strings.Contains(b, "科技活动周启动仪式") || strings.Contains(b, "— 1 —") {
		t.Errorf("/text: %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), b)
	}

	// A .docx as a form's file, as the admin page sends it: its task table's
	// items are found with their lead departments.
	form, ct := multipartBody(t, "任务分工方案.docx", docx)
	a := ingest("/api/v1/documents", form.Bytes(), ct)
	if m := docMeta(a.ID); m["format"] != "docx" || m["number"] != "东科协发〔2024〕3号" {
		t.Errorf("docx document: %v", m)
	}
	_, b = send(t, "GET", base+"/api/v1/search?q="+url.QueryEscape("科学实验展演"), nil, nil)
	if !strings.Contains(b, `"lead_departments":["区科协"]`) || !strings.Contains(b, `"deadline":"2024年6月底前"`) {
		t.Errorf("the task table's row is not an item with its lead and deadline: %s", b)
	}

	// A GBK text: stored as sent, served in its charset; its text is UTF-8.
	form, ct = multipartBody(t, "notice.txt", gbk)
	a = ingest("/api/v1/documents?id=beibei-gbk", form.Bytes(), ct)
	res, b = send(t, "GET", base+"/api/v1/documents/beibei-gbk/source", nil, nil)
	if b != string(gbk) || res.Header.Get("Content-Type") != "text/plain; charset=gb18030" {
		t.Errorf("GBK /source: %s", res.Header.Get("Content-Type"))
	}
	if _, b = send(t, "GET", base+"/api/v1/documents/beibei-gbk/text", nil, nil); !strings.Contains(b, "北碚科协发〔2023〕6号") {
		t.Errorf("GBK /text: %s", b)
	}

	// A gb2312 page with scripts and navigation: none of it stored or shown.
	a = ingest("/api/v1/documents?id=cq-page", page, "text/html")
	if m := docMeta("cq-page"); m["format"] != "html" || m["number"] != "渝科协发〔2023〕12号" || m["published"] != "2023-03-20" {
		t.Errorf("web page document: %v", m)
	}
	for _, q := range []string{"访问统计脚本", "科协动态", "版权所有", "相关文章"} {
		if _, b = send(t, "GET", base+"/api/v1/search?q="+url.QueryEscape(q)+"&doc=cq-page", nil, nil); !strings.Contains(b, `"total":0`) {
			t.Errorf("%q of the page's chrome is found: %s", q, b)
		}
	}
	want := []string{"beibei-gbk.txt", "beibei-pdf.pdf", "cq-page.html"}
	for _, n := range stored() {
		if strings.HasSuffix(n, ".docx") {
			want = append(want, n)
		}
	}
	sort.Strings(want)
	if got := stored(); strings.Join(got, " ") != strings.Join(want, " ") || len(got) != 4 {
		t.Fatalf("stored originals: %q", got)
	}
	_, before := send(t, "GET", base+"/api/v1/documents?outline=false", nil, nil)

	// Bad files: each refused with its code, nothing stored, the server unharmed.
	form2, ct2 := func() (*bytes.Buffer, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for _, n := range []string{"a.txt", "b.txt"} {
			p, _ := w.CreateFormFile("file", n)
			p.Write([]byte(plain))
		}
		w.Close()
		return &b, w.FormDataContentType()
	}()
	bad := []struct {
		name   string
		body   []byte
		ct     string
		status int
		code   string
		says   string
	}{
		{"truncated PDF", pdf[:len(pdf)/2], "application/pdf", 422, "unprocessable", "truncated"},
		{"scan", scan, "application/pdf", 422, "unprocessable", "scan"},
		{"zip bomb", extracttest.ZipBomb(t, docx, 64<<20), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 413, "payload_too_large", "unpacks"},
		{"empty", nil, "application/pdf", 400, "invalid_argument", "empty"},
		{".doc", doc, "application/msword", 415, "unsupported_media_type", "Word (.docx)"},
		{"over --max-upload", append(append([]byte(nil), pdf...), bytes.Repeat([]byte("%"), 4<<20)...), "application/pdf", 413, "payload_too_large", "--max-upload"},
		{"text over --max-body", bytes.Repeat([]byte("科普工作要点。\n"), 5000), "text/plain", 413, "payload_too_large", "--max-body"},
		{"two files", form2.Bytes(), ct2, 400, "invalid_argument", "one file"},
	}
	for _, c := range bad {
		res, b := send(t, "POST", base+"/api/v1/documents", bytes.NewReader(c.body), auth(c.ct))
		if res.StatusCode != c.status || !strings.Contains(b, `"code":"`+c.code+`"`) || !strings.Contains(b, c.says) {
			t.Errorf("%s: %d %s; want %d %s saying %q", c.name, res.StatusCode, b, c.status, c.code, c.says)
		}
	}
	if got := stored(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("a refused file left something: %q", got)
	}
	if _, after := send(t, "GET", base+"/api/v1/documents?outline=false", nil, nil); after != before {
		t.Error("the document list changed after refused files")
	}
	if res, _ := send(t, "GET", base+"/readyz", nil, nil); res.StatusCode != 200 {
		t.Errorf("readyz after the bad files: %d", res.StatusCode)
	}
	// The server still reads PDFs.
	form, ct = multipartBody(t, "again.pdf", pdf)
	if res, b := send(t, "POST", base+"/api/v1/documents?id=again&replace=true", form, auth(ct)); res.StatusCode != 409 || !strings.Contains(b, "beibei-pdf") {
		t.Errorf("the same PDF again under another id: %d %s", res.StatusCode, b)
	}

	// Deleting removes the original; the built-in notice's original is served too.
	if res, _ := send(t, "DELETE", base+"/api/v1/documents/beibei-pdf", nil, auth("")); res.StatusCode != 204 {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	for _, n := range stored() {
		if strings.HasPrefix(n, "beibei-pdf") {
			t.Errorf("%s left after delete", n)
		}
	}
	if res, _ := send(t, "GET", base+"/api/v1/documents/beibei-pdf/source", nil, nil); res.StatusCode != 404 {
		t.Errorf("source of a deleted document: %d", res.StatusCode)
	}
	res, b = send(t, "GET", base+"/api/v1/documents/yugangyaobanfa-2022-2/source", nil, nil)
	if res.StatusCode != 200 || !strings.Contains(b, "渝纲要办发") || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("built-in source: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// The admin page is served with the pages' CSP and loads nothing from another
// host; the token check answers 204 for the token, 401 for another.
func TestAdminPage(t *testing.T) {
	base, _, _ := startServer(t, Options{AdminToken: "t0k"}, nil)
	res, b := send(t, "GET", base+"/admin", nil, nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Security-Policy") != uiPolicy || !strings.Contains(b, `src="ui/admin.js"`) {
		t.Fatalf("/admin: %d %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
	}
	if strings.Contains(b, "style=") || strings.Contains(b, "<script>") {
		t.Error("/admin has inline script or style")
	}
	for _, p := range []string{"/ui/admin.js", "/ui/admin.css"} {
		if res, b := send(t, "GET", base+p, nil, nil); res.StatusCode != 200 || strings.Contains(b, "innerHTML") || strings.Contains(b, "http://") || strings.Contains(b, "https://") {
			t.Errorf("%s: %d, or it uses innerHTML or another host", p, res.StatusCode)
		}
	}
	if res, _ := send(t, "GET", base+"/api/v1/admin/token", nil, map[string]string{"Authorization": "Bearer t0k"}); res.StatusCode != 204 {
		t.Errorf("token check with the token: %d", res.StatusCode)
	}
	if res, _ := send(t, "GET", base+"/api/v1/admin/token", nil, map[string]string{"Authorization": "Bearer nope"}); res.StatusCode != 401 {
		t.Errorf("token check with another token: %d", res.StatusCode)
	}
}
