package serve

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the server's Prometheus collectors, in a registry of its own
// (never the global one: two servers in one process do not collide).
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec   // route, code
	latency   *prometheus.HistogramVec // route
	inFlight  prometheus.Gauge
	rejected  *prometheus.CounterVec // problem code
	decisions *prometheus.CounterVec // modality, outcome
	assess    prometheus.Histogram   // worker time per request
	wait      prometheus.Histogram   // time queued for a worker
	busy      prometheus.Gauge       // workers assessing
	admitted  prometheus.Gauge       // requests holding an admission slot
}

func newMetrics(s *Server) *metrics {
	buckets := []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "biogate_http_requests_total", Help: "HTTP requests answered, by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "biogate_http_request_duration_seconds", Help: "Time from request to answer, by route.", Buckets: buckets,
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "biogate_http_requests_in_flight", Help: "Requests being served.",
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "biogate_http_rejected_total", Help: "Requests answered with a problem document, by problem code.",
		}, []string{"code"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "biogate_decisions_total", Help: "Samples assessed, by modality and decision outcome.",
		}, []string{"modality", "outcome"}),
		assess: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "biogate_assess_duration_seconds", Help: "Worker time to load and assess one request's samples.", Buckets: buckets,
		}),
		wait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "biogate_queue_wait_seconds", Help: "Time a request waited for a worker.", Buckets: buckets,
		}),
		busy: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "biogate_workers_busy", Help: "Workers assessing samples.",
		}),
		admitted: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "biogate_queue_admitted", Help: "Assess requests admitted (reading, queued or assessing).",
		}),
	}
	workers := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "biogate_workers", Help: "Size of the worker pool.",
	}, func() float64 { return float64(cap(s.work)) })
	capacity := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "biogate_queue_capacity", Help: "Assess requests admitted at most (workers plus queue).",
	}, func() float64 { return float64(cap(s.admit)) })
	m.reg.MustRegister(m.requests, m.latency, m.inFlight, m.rejected, m.decisions, m.assess, m.wait, m.busy, m.admitted,
		workers, capacity, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
