package api

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newNotice reads a second notice, written the way the first one is, with a
// campaign of its own.
func newNotice(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "documents", "xinghuo-2023-7.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAdminIngestion(t *testing.T) {
	base, srv, _ := startServer(t, Options{AdminToken: "s3cret"}, nil)
	doc := newNotice(t)
	auth := map[string]string{"Authorization": "Bearer s3cret", "Content-Type": "text/plain; charset=utf-8"}

	// Refused without the right token.
	if res, body := send(t, "POST", base+"/api/v1/documents", strings.NewReader(doc), nil); res.StatusCode != 401 || !strings.Contains(body, "unauthenticated") {
		t.Fatalf("no token: %d %s", res.StatusCode, body)
	}
	if res, _ := send(t, "POST", base+"/api/v1/reindex", nil, map[string]string{"Authorization": "Bearer wrong"}); res.StatusCode != 401 {
		t.Fatalf("wrong token: %d", res.StatusCode)
	}

	// Ingest never refuses a text: what the parser could not place comes back
	// as warnings with line numbers, in the answer and on the document.
	res, body := send(t, "POST", base+"/api/v1/documents?id=broken", strings.NewReader("只有一行字"), auth)
	var warned struct {
		ID       string
		Clauses  int
		Warnings []struct {
			Line    int
			Message string
		}
	}
	json.Unmarshal([]byte(body), &warned)
	if res.StatusCode != 201 || warned.ID != "broken" || warned.Clauses == 0 || len(warned.Warnings) == 0 || warned.Warnings[0].Line != 1 {
		t.Fatalf("a text the parser cannot place: %d %s", res.StatusCode, body)
	}
	if _, body = send(t, "GET", base+"/api/v1/documents/broken", nil, nil); !strings.Contains(body, `"warnings":[{"line":1,`) {
		t.Fatalf("the document does not show its warnings: %s", body)
	}
	if _, body = send(t, "GET", base+"/api/v1/search?q="+url.QueryEscape("只有一行字"), nil, nil); !strings.Contains(body, `"doc_id":"broken"`) {
		t.Fatalf("the text is not searchable: %s", body)
	}
	if res, body := send(t, "DELETE", base+"/api/v1/documents/broken", nil, auth); res.StatusCode != 204 {
		t.Fatalf("delete: %d %s", res.StatusCode, body)
	}

	// Ingested, acknowledged, durable, searchable.
	res, body = send(t, "POST", base+"/api/v1/documents?id=xinghuo-2023-7", strings.NewReader(doc), auth)
	var added struct {
		ID      string
		Clauses int
	}
	json.Unmarshal([]byte(body), &added)
	if res.StatusCode != 201 || added.ID != "xinghuo-2023-7" || added.Clauses != 3 {
		t.Fatalf("ingest: %d %s", res.StatusCode, body)
	}
	dataDir := filepath.Dir(filepath.Dir(srv.Index().Dir()))
	if _, err := os.Stat(filepath.Join(dataDir, "corpus", "xinghuo-2023-7.txt")); err != nil {
		t.Fatalf("the acknowledged document is not on disk: %v", err)
	}
	_, body = send(t, "GET", base+"/api/v1/search?q="+url.QueryEscape("星火燎原"), nil, nil)
	if !strings.Contains(body, `"id":"xinghuo-2023-7:1"`) || !strings.Contains(body, "渝科协发〔2023〕7号 第1项") {
		t.Fatalf("the ingested document is not searchable: %s", body)
	}
	// Its campaign reached the user dictionary.
	found := false
	for _, w := range srv.Index().Manifest().UserWords {
		found = found || w == "星火燎原"
	}
	if !found {
		t.Error("星火燎原 is not a user word")
	}
	// The notice is still there.
	if _, body = send(t, "GET", base+"/api/v1/search?q="+url.QueryEscape("全国科普日"), nil, nil); !strings.Contains(body, "yugangyaobanfa-2022-2:5") {
		t.Fatalf("the built-in notice went missing: %.200s", body)
	}

	// The same id again is a conflict, and so is the same document under
	// another id; an id derived from the 文号 works.
	if res, _ := send(t, "POST", base+"/api/v1/documents?id=xinghuo-2023-7", strings.NewReader(doc), auth); res.StatusCode != 409 {
		t.Fatalf("duplicate id: %d", res.StatusCode)
	}
	if res, body := send(t, "POST", base+"/api/v1/documents", strings.NewReader(doc), auth); res.StatusCode != 409 || !strings.Contains(body, `\"xinghuo-2023-7\"`) {
		t.Fatalf("the same document again: %d %s", res.StatusCode, body)
	}
	res, body = send(t, "POST", base+"/api/v1/documents", strings.NewReader(strings.Replace(doc, "〔2023〕7号", "〔2023〕8号", 1)), auth)
	json.Unmarshal([]byte(body), &added)
	if res.StatusCode != 201 || !strings.HasPrefix(added.ID, "2023-8-") {
		t.Fatalf("derived id: %d %s", res.StatusCode, body)
	}

	// The built-in corpus is read-only; unknown documents are 404.
	if res, _ := send(t, "DELETE", base+"/api/v1/documents/yugangyaobanfa-2022-2", nil, auth); res.StatusCode != 409 {
		t.Fatalf("deleting the built-in notice: %d", res.StatusCode)
	}
	if res, _ := send(t, "DELETE", base+"/api/v1/documents/nope", nil, auth); res.StatusCode != 404 {
		t.Fatalf("deleting an unknown document: %d", res.StatusCode)
	}
	if res, body := send(t, "DELETE", base+"/api/v1/documents/xinghuo-2023-7", nil, auth); res.StatusCode != 204 {
		t.Fatalf("delete: %d %s", res.StatusCode, body)
	}
	if _, body = send(t, "GET", base+"/api/v1/documents/xinghuo-2023-7", nil, nil); !strings.Contains(body, "not_found") {
		t.Fatalf("deleted document still served: %s", body)
	}
	res, body = send(t, "POST", base+"/api/v1/reindex", nil, auth)
	if res.StatusCode != 200 || !strings.Contains(body, `"documents":2`) {
		t.Fatalf("reindex: %d %s", res.StatusCode, body)
	}
	// Old index folders are removed once retired.
	entries, _ := os.ReadDir(filepath.Join(dataDir, "indexes"))
	if len(entries) > 2 {
		t.Errorf("%d index folders left behind", len(entries))
	}
}

func TestAdminDisabledWithoutToken(t *testing.T) {
	base, _, _ := startServer(t, Options{}, nil)
	res, body := send(t, "POST", base+"/api/v1/reindex", nil, map[string]string{"Authorization": "Bearer anything"})
	if res.StatusCode != 403 || !strings.Contains(body, "permission_denied") {
		t.Fatalf("admin without a configured token: %d %s", res.StatusCode, body)
	}
}
