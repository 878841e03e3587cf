package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"policysearch/api"
)

// Every endpoint's real responses, successes and errors, validate against
// api/openapi.yaml.
func TestResponsesMatchOpenAPI(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	// Pages and scripts are checked for their status and content type only.
	text := func(_ io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (interface{}, error) {
		return "", nil
	}
	openapi3filter.RegisterBodyDecoder("text/html", text)
	openapi3filter.RegisterBodyDecoder("application/javascript", text)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	esc := url.QueryEscape
	pesc := url.PathEscape
	paths := []string{
		"/healthz", "/readyz",
		"/api/v1/search?q=" + esc("全国科普日"),
		"/api/v1/search?q=" + esc("全国科普日") + "&explain=true",
		"/api/v1/search?q=" + esc("科普") + "&sort=order&size=100",
		"/api/v1/search?dept=" + esc("市科协") + "&dept=" + esc("市教委") + "&section=" + esc("二"),
		"/api/v1/search?q=" + esc("沃土"),
		"/api/v1/search?q=",
		"/api/v1/search?q=a&size=1000",
		"/api/v1/clauses/yugangyaobanfa-2022-2:5",
		"/api/v1/clauses/nope",
		"/api/v1/documents",
		"/api/v1/documents/yugangyaobanfa-2022-2",
		"/api/v1/documents/nope",
		"/api/v1/departments",
		"/api/v1/departments/" + pesc("市科协"),
		"/api/v1/departments/" + pesc("市委党校（重庆行政学院）"),
		"/api/v1/departments/" + pesc("各责任单位"),
		"/api/v1/departments/" + pesc("市科学院"),
		"/api/v1/campaigns",
		"/api/v1/campaigns/" + pesc("全国科普日"),
		"/api/v1/campaigns/" + pesc("不存在日"),
		"/api/v1/suggest?q=" + esc("科普"),
		"/api/v1/suggest?q=",
		"/api/v1/analyze?text=" + esc("开展全国科普日、STEAM 科创大赛"),
		"/api/v1/analyze?text=",
		"/api/v1/openapi.yaml",
		"/",
		"/clauses/yugangyaobanfa-2022-2:20",
		"/clauses/nope",
		"/widget.js",
	}
	for _, p := range paths {
		req, _ := http.NewRequest(http.MethodGet, base+p, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s: no route in openapi.yaml: %v", p, err)
			continue
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 res.StatusCode,
			Header:                 res.Header,
			Body:                   io.NopCloser(bytes.NewReader(body)),
			Options:                &openapi3filter.Options{IncludeResponseStatus: true},
		}
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			t.Errorf("%s (%d): %v\n%.300s", p, res.StatusCode, err, body)
		}
	}
}
