package quality

import "fmt"

// Modality is the kind of biometric sample.
type Modality int

// Modalities the gate assesses.
const (
	UnknownModality Modality = iota
	Face
	Finger
)

var modalityNames = [...]string{"unknown", "face", "finger"}

// String returns "face", "finger" or "unknown".
func (m Modality) String() string {
	if m >= 0 && int(m) < len(modalityNames) {
		return modalityNames[m]
	}
	return fmt.Sprintf("Modality(%d)", int(m))
}

// ParseModality returns the modality named s ("face" or "finger").
func ParseModality(s string) (Modality, error) {
	for i, n := range modalityNames {
		if n == s && i != 0 {
			return Modality(i), nil
		}
	}
	return UnknownModality, fmt.Errorf("quality: unknown modality %q (want face or finger)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (m Modality) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *Modality) UnmarshalText(b []byte) error {
	if string(b) == "unknown" {
		*m = UnknownModality
		return nil
	}
	v, err := ParseModality(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
