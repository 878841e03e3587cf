package api

import (
	"log/slog"
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
			h := s.access.Handler()
			ctx := c.Request().Context()
			if !h.Enabled(ctx, slog.LevelInfo) {
				return nil
			}
			// The record goes to the handler as it is: Logger.Info would also
			// find the caller's place in the code for every line, which the
			// lines never show, and box each value.
			r := slog.NewRecord(v.StartTime.Add(v.Latency), slog.LevelInfo, "request", 0)
			r.AddAttrs(slog.String("request_id", v.RequestID), slog.String("method", v.Method), slog.String("path", v.URIPath),
				slog.Int("status", v.Status), slog.Float64("latency_ms", float64(v.Latency.Microseconds())/1000), slog.String("remote_ip", v.RemoteIP))
			// As Logger.Info does, a line that cannot be written fails
			// nothing: the answer has gone out already.
			_ = h.Handle(ctx, r)
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
