package api

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A second notice, written the way the first one is, with a campaign of its own.
const newNotice = `渝科协发〔2023〕7号
重庆市科学技术协会
关于开展“星火燎原”科普行动的通知
各区县科协：
现将有关事项通知如下。
重庆市科学技术协会
2023年3月1日
一、工作任务
1.组织开展“星火燎原”科普行动，举办青少年航天知识竞赛。（市科协按职责分工负责）
2.推动社区科普大学建设。（市科协、市教委按职责分工负责）
`

func TestAdminIngestion(t *testing.T) {
	base, srv, _ := startServer(t, Options{AdminToken: "s3cret"}, nil)
	auth := map[string]string{"Authorization": "Bearer s3cret", "Content-Type": "text/plain; charset=utf-8"}

	// Refused without the right token.
	if res, body := send(t, "POST", base+"/api/v1/documents", strings.NewReader(newNotice), nil); res.StatusCode != 401 || !strings.Contains(body, "unauthenticated") {
		t.Fatalf("no token: %d %s", res.StatusCode, body)
	}
	if res, _ := send(t, "POST", base+"/api/v1/reindex", nil, map[string]string{"Authorization": "Bearer wrong"}); res.StatusCode != 401 {
		t.Fatalf("wrong token: %d", res.StatusCode)
	}

	// A document that does not parse changes nothing.
	res, body := send(t, "POST", base+"/api/v1/documents?id=broken", strings.NewReader("只有一行字"), auth)
	if res.StatusCode != 400 || !strings.Contains(body, "line 1") {
		t.Fatalf("unparsable: %d %s", res.StatusCode, body)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(srv.Index().Dir())), "corpus", "broken.txt")); err == nil {
		t.Fatal("a rejected document was written")
	}

	// Ingested, acknowledged, durable, searchable.
	res, body = send(t, "POST", base+"/api/v1/documents?id=xinghuo-2023-7", strings.NewReader(newNotice), auth)
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

	// The same id again is a conflict; an id derived from the 文号 works.
	if res, _ := send(t, "POST", base+"/api/v1/documents?id=xinghuo-2023-7", strings.NewReader(newNotice), auth); res.StatusCode != 409 {
		t.Fatalf("duplicate id: %d", res.StatusCode)
	}
	res, body = send(t, "POST", base+"/api/v1/documents", strings.NewReader(newNotice), auth)
	json.Unmarshal([]byte(body), &added)
	if res.StatusCode != 201 || !strings.HasPrefix(added.ID, "2023-7-") {
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
