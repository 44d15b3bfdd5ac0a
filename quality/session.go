package quality

import (
	"errors"
	"fmt"
	"sync"
)

// ErrSessionDone is returned by Session.Add once the session has ended.
var ErrSessionDone = errors.New("quality: capture session has ended")

// Attempt is one capture attempt for a subject position.
type Attempt struct {
	// Decision is the gate's decision on the attempt.
	Decision Decision
	// Score ranks attempts with the same outcome: higher is better (for
	// example the NFIQ 2 score, or a face's unified quality).
	Score float64
	// Sample is the caller's payload (an image, a report), returned with
	// the best attempt. The session never inspects it.
	Sample any
}

// Step says what the capture loop does next.
type Step int

const (
	// Continue means capture another attempt.
	Continue Step = iota
	// Done means an attempt was accepted: keep it and move on.
	Done
	// Exhausted means the maximum number of attempts was reached without
	// an accepted one: keep the best attempt and have the operator confirm.
	Exhausted
)

var stepNames = [...]string{"continue", "done", "exhausted"}

// String returns "continue", "done" or "exhausted".
func (s Step) String() string {
	if s >= 0 && int(s) < len(stepNames) {
		return stepNames[s]
	}
	return fmt.Sprintf("Step(%d)", int(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s Step) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Advice is the session's answer after each attempt.
type Advice struct {
	// Step says whether to capture again, or to stop.
	Step Step
	// Attempts is the number of attempts so far; Remaining is how many more
	// the session allows.
	Attempts, Remaining int
	// Best is the index (from 0) of the best attempt so far, -1 if none.
	Best int
	// Instruction tells the operator what to do next, in plain words.
	Instruction string
}

// Session tracks the attempts for one subject position (one finger, or the
// face) in a capture loop. It keeps the best attempt, ends when an attempt is
// accepted or after the maximum number of attempts, and then says what to
// do. A Session is safe for concurrent use.
type Session struct {
	mu       sync.Mutex
	max      int
	attempts []Attempt
	best     int
	step     Step
}

// NewSession returns a session that allows at most maxAttempts attempts;
// values below 1 mean 1.
func NewSession(maxAttempts int) *Session {
	if maxAttempts < 1 {
		maxAttempts = 1
	}
	return &Session{max: maxAttempts, best: -1}
}

// better reports whether a ranks above b: a less severe outcome first, then
// a higher score; ties keep the earlier attempt.
func better(a, b Attempt) bool {
	if a.Decision.Outcome != b.Decision.Outcome {
		return a.Decision.Outcome < b.Decision.Outcome
	}
	return a.Score > b.Score
}

// Add records an attempt and returns the advice for the next step. Adding to
// a session that has ended returns ErrSessionDone.
func (s *Session) Add(a Attempt) (Advice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.step != Continue {
		return s.adviceLocked(), ErrSessionDone
	}
	s.attempts = append(s.attempts, a)
	if s.best < 0 || better(a, s.attempts[s.best]) {
		s.best = len(s.attempts) - 1
	}
	switch {
	case a.Decision.Outcome == Accept:
		s.step = Done
	case len(s.attempts) >= s.max:
		s.step = Exhausted
	}
	return s.adviceLocked(), nil
}

// Advice returns the current advice without adding an attempt.
func (s *Session) Advice() Advice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.adviceLocked()
}

// Best returns the best attempt so far, and false when there is none.
func (s *Session) Best() (Attempt, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.best < 0 {
		return Attempt{}, false
	}
	return s.attempts[s.best], true
}

// Attempts returns a copy of all attempts in the order added.
func (s *Session) Attempts() []Attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Attempt(nil), s.attempts...)
}

func (s *Session) adviceLocked() Advice {
	n := len(s.attempts)
	adv := Advice{Step: s.step, Attempts: n, Remaining: s.max - n, Best: s.best}
	switch s.step {
	case Done:
		adv.Remaining = 0
		adv.Instruction = fmt.Sprintf("Attempt %d accepted: keep it and move on.", s.best+1)
	case Exhausted:
		best := s.attempts[s.best]
		adv.Instruction = fmt.Sprintf("No attempt met the profile after %d attempts: keep attempt %d (%s) and have the operator confirm the sample.",
			n, s.best+1, best.Decision.Outcome)
		if best.Decision.Outcome == WarnOperator || best.Decision.Outcome == Reject {
			adv.Instruction += " Operator attention: " + best.Decision.String()
		}
	default:
		if n == 0 {
			adv.Instruction = "Capture the sample."
		} else {
			last := s.attempts[n-1].Decision
			adv.Instruction = fmt.Sprintf("Capture again (%d of %d attempts left). %s", adv.Remaining, s.max, joinInstructions(last))
		}
	}
	return adv
}

func joinInstructions(d Decision) string {
	out := ""
	for i, s := range d.Instructions() {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}
