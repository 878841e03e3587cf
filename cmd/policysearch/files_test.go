package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policysearch/internal/extract/extracttest"
)

// The binary as the Docker image builds it — no module cache, no toolchain,
// an empty home — reads every format: `parse FILE` for a PDF printed by
// Chromium (pdfium is inside the binary), `--corpus DIR` of a PDF, a .docx, a
// gb2312 web page and a GBK text (a .tsv table and a README beside them are
// not documents), and a server that takes a PDF over HTTP after starting
// without pdfium.
func TestFilesWithTheImageBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; run without -short")
	}
	plain := string(extracttest.Fixture(t, "plain-notice.txt"))
	pdf := extracttest.PrintPDF(t, extracttest.TextPage(plain), extracttest.PrintOptions{PageNumbers: true})
	docx := extracttest.Convert(t, "tasks.html", extracttest.Fixture(t, "tasks.html"), `docx:"MS Word 2007 XML"`)
	page := extracttest.GB18030(t, string(extracttest.Fixture(t, "gov-page.html")))
	gbk := extracttest.GB18030(t, strings.Replace(plain, "〔2023〕5号", "〔2023〕6号", 1))
	bin := buildLikeDockerfile(t)

	corpus := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(corpus, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("beibei-2023-5.pdf", pdf)
	write("donghu-2024-3.docx", docx)
	write("cq-kexie-2023-12.html", page)
	write("beibei-2023-6.txt", gbk)
	write("departments.tsv", []byte("市科协\t重庆市科学技术协会\t群团\t重庆\n"))
	write("README.md", []byte("# notes\n"))

	dir := t.TempDir()
	out, err := isolated(t, bin, dir, "parse", filepath.Join(corpus, "beibei-2023-5.pdf")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "文件 beibei-2023-5.pdf (pdf, ") || !strings.Contains(string(out), "北碚科协发〔2023〕5号") ||
		!strings.Contains(string(out), "举办科技活动周启动仪式") {
		t.Fatalf("parse PDF: %v\n%s", err, out)
	}
	out, err = isolated(t, bin, dir, "parse", "--text", filepath.Join(corpus, "donghu-2024-3.docx")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "\n3.举办全国科普日东湖区主场活动") || !strings.Contains(string(out), "\n牵头单位：区科协\n") {
		t.Fatalf("parse --text docx: %v\n%s", err, out)
	}

	data := filepath.Join(dir, "data")
	out, err = isolated(t, bin, dir, "index", "--corpus", corpus, "--data", data).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "4 documents") {
		t.Fatalf("index --corpus: %v\n%s", err, out)
	}
	out, err = isolated(t, bin, dir, "search", "--corpus", corpus, "--data", data, "--json", "科普大篷车进社区").CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"doc_id": "donghu-2024-3"`) || !strings.Contains(string(out), `"deadline": "2024年9月底前"`) {
		t.Fatalf("search --corpus: %v\n%s", err, out)
	}
	// A second start reads the files' text from the cache: pdfium is not started.
	start := time.Now()
	out, err = isolated(t, bin, dir, "index", "--corpus", corpus, "--data", data).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "index up to date: 4 documents") {
		t.Fatalf("index again: %v\n%s", err, out)
	}
	t.Logf("reopening the index of 4 files: %s", time.Since(start))

	// The server with the embedded notice starts without pdfium and takes a
	// PDF over HTTP; pdfium's compiled code lands under the data folder.
	srvDir := t.TempDir()
	os.MkdirAll(filepath.Join(srvDir, "data"), 0o755) // as the image's WORKDIR holds it
	srv := isolated(t, bin, srvDir, "serve", "--addr", "127.0.0.1:0", "--admin-token", "t0k")
	stderr, _ := srv.StderrPipe()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	addr := waitFor(t, stderr, "listening")
	waitReady(t, addr)
	if _, err := os.Stat(filepath.Join(srvDir, "data", "cache", "wazero")); err == nil {
		t.Error("pdfium was started before any PDF came")
	}
	req, _ := http.NewRequest("POST", addr+"/api/v1/documents?id=beibei", bytes.NewReader(pdf))
	req.Header.Set("Authorization", "Bearer t0k")
	req.Header.Set("Content-Type", "application/pdf")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var added struct {
		ID      string `json:"id"`
		Clauses int    `json:"clauses"`
	}
	json.NewDecoder(res.Body).Decode(&added)
	res.Body.Close()
	if res.StatusCode != 201 || added.ID != "beibei" || added.Clauses == 0 {
		t.Fatalf("POST a PDF: %d %+v", res.StatusCode, added)
	}
	if _, err := os.Stat(filepath.Join(srvDir, "data", "cache", "wazero")); err != nil {
		t.Errorf("no compilation cache under the data folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(srvDir, "data", "corpus", "beibei.pdf")); err != nil {
		t.Errorf("the original is not stored: %v", err)
	}
}
