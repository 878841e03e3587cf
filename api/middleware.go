package api

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// logRequests writes one structured line per request, with its request id.
func (s *Server) logRequests() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogMethod: true, LogURIPath: true, LogLatency: true, LogRequestID: true,
		LogRemoteIP: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			s.access.Info("request", "request_id", v.RequestID, "method", v.Method, "path", v.URIPath,
				"status", v.Status, "latency_ms", float64(v.Latency.Microseconds())/1000, "remote_ip", v.RemoteIP)
			return nil
		},
	})
}

// rateLimit allows each client address RateLimit requests per second (with
// bursts) and answers the rest 429 with Retry-After.
func (s *Server) rateLimit() echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(s.opt.RateLimit), Burst: s.opt.RateBurst, ExpiresIn: 3 * time.Minute,
	})
	retry := strconv.Itoa(int(math.Ceil(1 / s.opt.RateLimit)))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: store,
		// Health checks and metrics are exempt: monitors must not be throttled.
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			return p == "/healthz" || p == "/readyz" || p == "/metrics"
		},
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", retry)
			return errorf(http.StatusTooManyRequests, "too many requests from your address; retry in %s s", retry)
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return errorf(http.StatusInternalServerError, "rate limiter: %v", err)
		},
	})
}
