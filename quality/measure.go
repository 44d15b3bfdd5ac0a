package quality

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
)

// Measure is one named quality measure of a sample.
//
// Name is the measure's reference name: NIST's feature names for NFIQ 2
// (for example "FDA_Bin10_Mean", "Mu", "FingerJetFX_MinutiaeCount"), and
// the names of ISO/IEC 29794-5 and BSI OFIQ for face measures (for example
// "InterEyeDistance", "HeadPoseRoll", "Sharpness").
type Measure struct {
	// Name is the reference name of the measure.
	Name string
	// Value is the native value, in the units of the reference algorithm.
	Value float64
	// Unit names the unit of Value where it has one ("px", "deg", "ppi").
	Unit string
	// Component is the 0-100 quality component mapped from Value; it is
	// meaningful only when HasComponent is true.
	Component float64
	// HasComponent reports whether the measure has a 0-100 component.
	HasComponent bool
}

// Native returns a measure with a native value only.
func Native(name string, value float64, unit string) Measure {
	return Measure{Name: name, Value: value, Unit: unit}
}

// WithComponent returns a measure with a native value and a 0-100 quality
// component. The component is clamped to [0, 100].
func WithComponent(name string, value float64, unit string, component float64) Measure {
	return Measure{Name: name, Value: value, Unit: unit, Component: clamp(component, 0, 100), HasComponent: true}
}

func clamp(v, lo, hi float64) float64 {
	switch {
	case math.IsNaN(v):
		return lo
	case v < lo:
		return lo
	case v > hi:
		return hi
	}
	return v
}

type measureJSON struct {
	Value     jsonFloat  `json:"value"`
	Unit      string     `json:"unit,omitempty"`
	Component *jsonFloat `json:"component,omitempty"`
}

// jsonFloat encodes NaN and infinities, which JSON cannot carry, as null.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jsonFloat(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = jsonFloat(v)
	return nil
}

// Measures is an ordered list of measures. In JSON it is an object keyed by
// measure name, in list order, so that reports stay diffable:
//
//	{"InterEyeDistance": {"value": 131.2, "unit": "px", "component": 100}}
type Measures []Measure

// Get returns the measure named name.
func (ms Measures) Get(name string) (Measure, bool) {
	for _, m := range ms {
		if m.Name == name {
			return m, true
		}
	}
	return Measure{}, false
}

// Value returns the native value of the measure named name.
func (ms Measures) Value(name string) (float64, bool) {
	m, ok := ms.Get(name)
	return m.Value, ok
}

// Set replaces the measure of the same name, or appends m.
func (ms *Measures) Set(m Measure) {
	for i := range *ms {
		if (*ms)[i].Name == m.Name {
			(*ms)[i] = m
			return
		}
	}
	*ms = append(*ms, m)
}

// MarshalJSON implements json.Marshaler.
func (ms Measures) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := json.Marshal(m.Name)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		mj := measureJSON{Value: jsonFloat(m.Value), Unit: m.Unit}
		if m.HasComponent {
			c := jsonFloat(m.Component)
			mj.Component = &c
		}
		v, err := json.Marshal(mj)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON implements json.Unmarshaler, keeping the order of the keys.
func (ms *Measures) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*ms = nil
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("quality: measures must be a JSON object")
	}
	var out Measures
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		var mj measureJSON
		if err := dec.Decode(&mj); err != nil {
			return fmt.Errorf("quality: measure %q: %w", name, err)
		}
		m := Measure{Name: name, Value: float64(mj.Value), Unit: mj.Unit}
		if mj.Component != nil {
			m.Component, m.HasComponent = float64(*mj.Component), true
		}
		out = append(out, m)
	}
	*ms = out
	return nil
}

// Point is a position in image pixel coordinates, x to the right and y down,
// origin at the top-left corner of the top-left pixel.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Score is a unified quality score with the model that produced it.
type Score struct {
	// Name names the scale, for example "NFIQ2".
	Name string `json:"name"`
	// Value is the score, 0-100 for NFIQ 2.
	Value int `json:"value"`
	// Model names the model that produced the score: "nfiq2" for NIST's
	// own model file, "nfiq2-compatible" for the project's embedded model.
	Model string `json:"model"`
	// ModelVersion is the model's version.
	ModelVersion string `json:"model_version,omitempty"`
}
