package api

import (
	"io/fs"
	"path/filepath"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics live on a registry the server owns, so two servers in one process
// (tests) do not collide.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	reindex  *prometheus.CounterVec
	rebuild  prometheus.Histogram
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "policysearch_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "policysearch_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route"})
	m.reindex = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "policysearch_reindex_total", Help: "Index rebuilds by result.",
	}, []string{"result"})
	m.rebuild = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "policysearch_reindex_duration_seconds", Help: "Time to rebuild and swap the index.",
		Buckets: prometheus.ExponentialBuckets(0.05, 2, 12),
	})
	clauses := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "policysearch_index_clauses", Help: "Clauses in the live index.",
	}, func() float64 {
		ix, release, err := s.acquire()
		if err != nil {
			return 0
		}
		defer release()
		n, _ := ix.Count()
		return float64(n)
	})
	size := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "policysearch_index_size_bytes", Help: "Bytes on disk of the live index.",
	}, func() float64 {
		ix, release, err := s.acquire()
		if err != nil {
			return 0
		}
		defer release()
		var total int64
		filepath.WalkDir(ix.Dir(), func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					total += info.Size()
				}
			}
			return nil
		})
		return float64(total)
	})
	m.reg.MustRegister(m.requests, m.latency, m.reindex, m.rebuild, clauses, size,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// middleware counts every request by its route pattern (not its path, which
// would make a series per query).
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			if he, ok := err.(*echo.HTTPError); ok {
				status = he.Code
			} else if e, ok := err.(*Error); ok {
				status = e.Status
			}
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		return err
	}
}

func (m *metrics) handler() echo.HandlerFunc {
	// Compression is left to echo's gzip middleware, which wraps every response.
	return echo.WrapHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{DisableCompression: true}))
}

// ObserveReindex records one rebuild of the index.
func (s *Server) ObserveReindex(d time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	s.metrics.reindex.WithLabelValues(result).Inc()
	s.metrics.rebuild.Observe(d.Seconds())
}
