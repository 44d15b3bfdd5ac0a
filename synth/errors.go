package synth

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every error about an invalid parameter, so that
// callers can test for it with errors.Is.
var ErrInvalid = errors.New("synth: invalid parameter")

// ParamError reports an invalid parameter by name.
type ParamError struct {
	// Param names the offending field or variant, for example "Roll".
	Param string
	// Problem says what is wrong with it.
	Problem string
}

// Error implements the error interface.
func (e *ParamError) Error() string {
	return fmt.Sprintf("synth: %s: %s", e.Param, e.Problem)
}

// Is reports whether target is ErrInvalid.
func (e *ParamError) Is(target error) bool { return target == ErrInvalid }

func paramErr(param, format string, a ...any) error {
	return &ParamError{Param: param, Problem: fmt.Sprintf(format, a...)}
}
