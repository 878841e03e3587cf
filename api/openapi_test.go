package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"policysearch/api"
)

// Every endpoint's real responses, successes and errors, validate against
// api/openapi.yaml.
func TestResponsesMatchOpenAPI(t *testing.T) {
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
		"/api/v1/search?q=" + esc("全國科普日") + "&explain=true",
		"/api/v1/search?q=quanguokepuri&explain=true",
		"/api/v1/search?q=nongcunkepu",
		"/api/v1/search?q=" + esc("科普大棚车"),
		"/api/v1/search?q=xyzzy",
		"/api/v1/suggest?q=kpdpc",
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
		"/admin",
		"/api/v1/documents/nope/source",
		"/api/v1/documents/nope/text",
	}
	for _, p := range paths {
		checkOpenAPI(t, http.MethodGet, base+p, nil, nil)
	}
}

var (
	openapiOnce   sync.Once
	openapiRouter routers.Router
	openapiErr    error
)

// checkOpenAPI sends a request and validates the response against
// api/openapi.yaml: its status must be described, and its body must fit.
func checkOpenAPI(t *testing.T, method, u string, body []byte, header map[string]string) (int, []byte) {
	t.Helper()
	openapiOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
		if err != nil {
			openapiErr = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			openapiErr = fmt.Errorf("openapi.yaml is not valid: %w", err)
			return
		}
		// Pages and scripts are checked for their status and content type only.
		text := func(_ io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (interface{}, error) {
			return "", nil
		}
		openapi3filter.RegisterBodyDecoder("text/html", text)
		openapi3filter.RegisterBodyDecoder("application/javascript", text)
		openapiRouter, openapiErr = gorillamux.NewRouter(doc)
	})
	if openapiErr != nil {
		t.Fatal(openapiErr)
	}
	req, _ := http.NewRequest(method, u, bytes.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	route, params, err := openapiRouter.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s: no route in openapi.yaml: %v", method, u, err)
		return res.StatusCode, got
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(got)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s (%d): %v\n%.300s", method, u, res.StatusCode, err, got)
	}
	return res.StatusCode, got
}
