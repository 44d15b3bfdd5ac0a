package serve

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/biogate/biogate/report"
)

// Problem is an RFC 9457 problem document, the body of every error
// response (media type application/problem+json). Type and Code are
// stable: clients branch on them, never on Title or Detail.
type Problem struct {
	// Type is a URI naming the kind of problem, "urn:biogate:problem:"
	// followed by a short name ("too-large", "busy", …).
	Type string `json:"type"`
	// Title is a short human summary of the kind of problem.
	Title string `json:"title"`
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Detail explains this occurrence, without image content.
	Detail string `json:"detail,omitempty"`
	// Code is a machine-readable code: the CLI's reason code where one
	// applies ("input.unreadable", "input.too_small"), otherwise one of
	// "request.*" and "server.*".
	Code string `json:"code"`
	// RequestID identifies the request in the server's access log.
	RequestID string `json:"request_id,omitempty"`
	// Report is, for a sample that could not be assessed, the report
	// `biogate check -format json` prints for the same file (decision
	// Reject with Code as its reason).
	Report *report.Batch `json:"report,omitempty"`
}

// ProblemType returns the problem type URI for the short name.
func ProblemType(name string) string { return "urn:biogate:problem:" + name }

// Problem codes that are not the CLI's reason codes.
const (
	CodeInvalid        = "request.invalid"         // a parameter or the request's form is wrong
	CodeUnknownProfile = "request.unknown_profile" // profile names no embedded profile
	CodeTooLarge       = "request.too_large"       // body, a part or a field over its limit
	CodeTooManyParts   = "request.too_many_parts"  // multipart request with too many parts
	CodeMediaType      = "request.media_type"      // Content-Type not accepted
	CodeTruncated      = "request.truncated"       // the body ended early
	CodeSlowClient     = "request.timeout"         // the body was not received in time
	CodeUnauthorized   = "request.unauthorized"    // missing or wrong bearer token
	CodeNotFound       = "request.not_found"       // no such route or profile
	CodeMethod         = "request.method"          // method not allowed on the route
	CodeBusy           = "server.busy"             // work queue full: retry later
	CodeTimeout        = "server.timeout"          // the request's deadline passed
	CodeDraining       = "server.shutting_down"    // the server is shutting down
	CodeInternal       = "server.internal"         // a bug: never a stack trace
)

// problemKinds maps each status to the type name and title of the problem.
var problemKinds = map[int][2]string{
	http.StatusBadRequest:            {"bad-request", "The request cannot be processed"},
	http.StatusUnauthorized:          {"unauthorized", "A valid bearer token is required"},
	http.StatusNotFound:              {"not-found", "Not found"},
	http.StatusMethodNotAllowed:      {"method-not-allowed", "Method not allowed"},
	http.StatusRequestTimeout:        {"request-timeout", "The request was not received in time"},
	http.StatusRequestEntityTooLarge: {"too-large", "The request or its image is too large"},
	http.StatusUnsupportedMediaType:  {"unsupported-media-type", "Unsupported media type"},
	http.StatusUnprocessableEntity:   {"too-small", "The image is too small to assess"},
	http.StatusInternalServerError:   {"internal", "Internal server error"},
	http.StatusServiceUnavailable:    {"busy", "The server is busy: retry later"},
	http.StatusGatewayTimeout:        {"timeout", "The assessment did not finish in time"},
}

// unreadableKind is the type of a 400 for a sample that cannot be read.
var unreadableKind = [2]string{"unreadable", "The image cannot be read or decoded"}

// newProblem returns the problem for status with code and detail.
func newProblem(status int, code, detail string) *Problem {
	k, ok := problemKinds[status]
	if code == "input.unreadable" && status == http.StatusBadRequest {
		k, ok = unreadableKind, true
	}
	if !ok {
		k = [2]string{"error", http.StatusText(status)}
	}
	return &Problem{Type: ProblemType(k[0]), Title: k[1], Status: status, Code: code, Detail: detail}
}

// writeProblem sends p, with Retry-After for 503.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	p.RequestID = requestID(r)
	s.metrics.rejected.WithLabelValues(p.Code).Inc()
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	if p.Status == http.StatusServiceUnavailable {
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	}
	if p.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="biogate"`)
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		b = []byte(`{"type":"` + ProblemType("internal") + `","title":"Internal server error","status":500,"code":"` + CodeInternal + `"}`)
		p.Status = http.StatusInternalServerError
	}
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(b, '\n'))
}

// retryAfterSeconds is the Retry-After of a 503.
const retryAfterSeconds = 1
