// Package serve is the quality gate as a local HTTP/JSON service, for
// capture applications written in any language: `biogate serve`.
//
// POST /v1/assess takes one image (any format the CLI reads, or an ISO/IEC
// 19794 or 39794 record) as the request body, or several as
// multipart/form-data, and answers exactly what `biogate check -format json`
// prints for the same files: the same [report.Batch] document, written by
// the same code, with the same decisions and reasons. GET /v1/profiles,
// /v1/profiles/{name}, /healthz, /readyz, /metrics (Prometheus) and
// /openapi.json (the OpenAPI 3 document of the API) complete it.
//
// Every request is treated as hostile: the body is capped
// ([Config].MaxBodyBytes), images over [Config].Load's pixel budget are
// refused before any pixel memory is allocated, a bounded pool of workers
// with a bounded queue does the work (a full queue answers 503 with
// Retry-After at once), each request has a deadline (504), and the
// http.Server built by [Server.Serve] carries header, read, write and idle
// timeouts. Errors are RFC 9457 problem documents (application/problem+json)
// whose type and code are stable: see [Problem]. Access logs (log/slog)
// record the method, path, status, duration, sizes and request id, never a
// query string, a file name or image content.
//
// A Server is safe for concurrent use; its face and fingerprint assessors
// are loaded once, in [New].
package serve
