package api

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func duplicateDoc(t *testing.T, name string) string {
	t.Helper()
	if filepath.Ext(name) == "" {
		name += ".txt"
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "duplicates", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type ingestAnswer struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Replaced bool   `json:"replaced"`
	Error    struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// A document the library holds already — the same notice from its web page, or
// a plan without 文号 whose clauses are the same — is a 409 naming the first;
// replace=true puts it in the first one's place; a built-in document is never
// replaced; the next year's document of a series is another document.
func TestIngestDuplicates(t *testing.T) {
	base, srv, _ := startServer(t, Options{AdminToken: "dup"}, nil)
	auth := map[string]string{"Authorization": "Bearer dup", "Content-Type": "text/plain; charset=utf-8"}
	post := func(params, text string, status int) ingestAnswer {
		t.Helper()
		res, body := send(t, "POST", base+"/api/v1/documents"+params, strings.NewReader(text), auth)
		var a ingestAnswer
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatalf("%s: %v: %s", params, err, body)
		}
		if res.StatusCode != status {
			t.Fatalf("POST %s: %d %s, want %d", params, res.StatusCode, body, status)
		}
		if status == 201 && res.Header.Get("Location") != "/api/v1/documents/"+a.ID {
			t.Errorf("POST %s: Location %q", params, res.Header.Get("Location"))
		}
		return a
	}
	count := func() int {
		t.Helper()
		var docs struct{ Documents []json.RawMessage }
		getJSONFrom(t, base+"/api/v1/documents?outline=false", &docs)
		return len(docs.Documents)
	}
	dataDir := filepath.Dir(filepath.Dir(srv.Index().Dir()))

	// The notice as text, then as its web page's text: the same 文号.
	text, web := duplicateDoc(t, "lishan-2023"), duplicateDoc(t, "lishan-2023-web")
	first := post("", text, 201)
	if first.Replaced || !strings.HasPrefix(first.ID, "2023-2-") {
		t.Fatalf("first ingestion: %+v", first)
	}
	dup := post("", web, 409)
	if dup.Error.Code != "conflict" || !strings.Contains(dup.Error.Message, `"`+first.ID+`"`) || !strings.Contains(dup.Error.Message, "鞍立政发〔2023〕2号") {
		t.Errorf("the web page of %s: %+v", first.ID, dup.Error)
	}
	post("?id=lishan-web", web, 409) // under another id too
	if n := count(); n != 2 {
		t.Fatalf("%d documents after the refusals, want 2", n)
	}

	// replace=true: the web page's text takes the first one's place, under its id.
	post("?replace=maybe", web, 400)
	post("?replace=true&id=lishan-web", web, 409) // an id of its own would be a second document
	replaced := post("?replace=true", web, 200)
	if !replaced.Replaced || replaced.ID != first.ID || strings.Contains(replaced.Title, "《") {
		t.Fatalf("replace: %+v", replaced)
	}
	if b, err := os.ReadFile(filepath.Join(dataDir, "corpus", first.ID+".txt")); err != nil || string(b) != web {
		t.Fatalf("the file of %s does not hold the new text (%v)", first.ID, err)
	}
	var doc struct{ Title, Number, Plan string }
	getJSONFrom(t, base+"/api/v1/documents/"+first.ID, &doc)
	if doc.Title != replaced.Title || doc.Number != "鞍立政发〔2023〕2号" || doc.Plan != "立山区2023年科普工作任务分解和责任分工方案" {
		t.Errorf("after the replacement the document is %+v", doc)
	}
	var s struct {
		Total int
		Hits  []struct {
			DocID string `json:"doc_id"`
		}
	}
	getJSONFrom(t, base+"/api/v1/search?"+url.Values{"q": {`"校园科技馆三所"`}}.Encode(), &s)
	if s.Total != 1 || s.Hits[0].DocID != first.ID {
		t.Errorf("校园科技馆三所 after the replacement: %+v", s)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d documents after the replacement, want 2", n)
	}
	// Replacing with the same id named works as well.
	if a := post("?replace=1&id="+first.ID, text, 200); a.ID != first.ID || !a.Replaced {
		t.Errorf("replace by id: %+v", a)
	}
	// The saved web page itself, a file of another format, is the same document.
	page := duplicateDoc(t, "lishan-2023.html")
	html := map[string]string{"Authorization": "Bearer dup", "Content-Type": "text/html; charset=utf-8"}
	res, body := send(t, "POST", base+"/api/v1/documents", strings.NewReader(page), html)
	if res.StatusCode != 409 || !strings.Contains(body, `\"`+first.ID+`\"`) {
		t.Errorf("the notice's saved web page: %d %s", res.StatusCode, body)
	}
	res, body = send(t, "POST", base+"/api/v1/documents?replace=true", strings.NewReader(page), html)
	if res.StatusCode != 200 || !strings.Contains(body, `"id":"`+first.ID+`"`) || !strings.Contains(body, `"replaced":true`) {
		t.Errorf("replaced by its saved web page: %d %s", res.StatusCode, body)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d documents after the web page replaced the text, want 2", n)
	}

	// The next year's document of the series is not a duplicate.
	next := post("", duplicateDoc(t, "lishan-2024"), 201)
	if next.ID == first.ID || next.Replaced {
		t.Errorf("lishan-2024: %+v", next)
	}

	// Without 文号: the same clauses after spaces and punctuation are removed.
	plan := post("", duplicateDoc(t, "shequ-2023"), 201)
	dup = post("", duplicateDoc(t, "shequ-2023-web"), 409)
	if !strings.Contains(dup.Error.Message, `"`+plan.ID+`"`) || !strings.Contains(dup.Error.Message, "identical clauses") {
		t.Errorf("the plan's web page: %+v", dup.Error)
	}
	if a := post("", duplicateDoc(t, "shequ-2024"), 201); a.ID == plan.ID {
		t.Errorf("the 2024 plan took the 2023 one's id: %+v", a)
	}
	if a := post("?replace=true", duplicateDoc(t, "shequ-2023-web"), 200); a.ID != plan.ID {
		t.Errorf("replacing the plan: %+v", a)
	}

	// The built-in notice is read-only: a copy of it is a 409, replace or not.
	notice, err := os.ReadFile(filepath.Join("..", "corpus", "yugangyaobanfa-2022-2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, params := range []string{"", "?replace=true", "?replace=true&id=yugangyaobanfa-2022-2"} {
		a := post(params, string(notice), 409)
		if !strings.Contains(a.Error.Message, `"yugangyaobanfa-2022-2"`) || params != "" && !strings.Contains(a.Error.Message, "read-only") {
			t.Errorf("the built-in notice again (%s): %+v", params, a.Error)
		}
	}
	if n := count(); n != 5 {
		t.Errorf("%d documents at the end, want 5", n)
	}
}

func getJSONFrom(t *testing.T, u string, v interface{}) {
	t.Helper()
	res, body := send(t, "GET", u, nil, nil)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}
