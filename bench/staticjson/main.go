// Command staticjson is the framework's limit for bench/http.sh: echo, as the
// policysearch server uses it, answering every GET with the same JSON body (a
// typical search response, read once at start), with no middleware and no work.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18082", "address to listen on")
	bodyFile := flag.String("body", "", "file holding the JSON body to answer with")
	flag.Parse()
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		log.Fatal(err)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/*", func(c echo.Context) error {
		return c.JSONBlob(http.StatusOK, body)
	})
	log.Fatal(e.Start(*addr))
}
