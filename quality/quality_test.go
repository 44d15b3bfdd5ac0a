package quality

import (
	"encoding/json"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMeasuresJSONRoundTripKeepsOrder(t *testing.T) {
	ms := Measures{
		Native("Mu", 169.17299696145849, ""),
		WithComponent(InterEyeDistance, 131.5, "px", 140),
		Native("FDA_Bin10_0", 11, ""),
		Native("Broken", math.NaN(), ""),
	}
	b, err := json.Marshal(ms)
	require.NoError(t, err)
	assert.Equal(t, `{"Mu":{"value":169.1729969614585},"InterEyeDistance":{"value":131.5,"unit":"px","component":100},"FDA_Bin10_0":{"value":11},"Broken":{"value":null}}`, string(b))
	var back Measures
	require.NoError(t, json.Unmarshal(b, &back))
	require.Len(t, back, 4)
	assert.Equal(t, ms[:3], back[:3])
	assert.True(t, math.IsNaN(back[3].Value))
}

func TestMeasuresGetSet(t *testing.T) {
	var ms Measures
	ms.Set(Native("a", 1, ""))
	ms.Set(Native("b", 2, ""))
	ms.Set(Native("a", 3, ""))
	v, ok := ms.Value("a")
	assert.True(t, ok)
	assert.Equal(t, 3.0, v)
	_, ok = ms.Value("c")
	assert.False(t, ok)
	assert.Len(t, ms, 2)
}

func TestOutcomeText(t *testing.T) {
	for _, o := range []Outcome{Accept, Recapture, WarnOperator, Reject} {
		b, err := o.MarshalText()
		require.NoError(t, err)
		var back Outcome
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, o, back)
	}
	_, err := ParseOutcome("maybe")
	assert.Error(t, err)
	_, err = Outcome(9).MarshalText()
	assert.Error(t, err)
}

func TestModalityText(t *testing.T) {
	m, err := ParseModality("finger")
	require.NoError(t, err)
	assert.Equal(t, Finger, m)
	_, err = ParseModality("iris")
	assert.Error(t, err)
}

func reason(o Outcome) Reason {
	return Reason{Code: "x." + o.String(), Outcome: o, Instruction: "do " + o.String()}
}

func TestSessionStopsOnAccept(t *testing.T) {
	s := NewSession(3)
	adv, err := s.Add(Attempt{Decision: Decide(reason(Recapture)), Score: 10})
	require.NoError(t, err)
	assert.Equal(t, Continue, adv.Step)
	assert.Equal(t, 2, adv.Remaining)
	assert.Contains(t, adv.Instruction, "do recapture")
	adv, err = s.Add(Attempt{Decision: Decide(), Score: 40, Sample: "second"})
	require.NoError(t, err)
	assert.Equal(t, Done, adv.Step)
	assert.Equal(t, 1, adv.Best)
	best, ok := s.Best()
	require.True(t, ok)
	assert.Equal(t, "second", best.Sample)
	_, err = s.Add(Attempt{Decision: Decide()})
	assert.ErrorIs(t, err, ErrSessionDone)
}

func TestSessionExhaustedKeepsBest(t *testing.T) {
	s := NewSession(3)
	attempts := []Attempt{
		{Decision: Decide(reason(Recapture), reason(WarnOperator)), Score: 0, Sample: 1},
		{Decision: Decide(reason(Recapture)), Score: 12, Sample: 2},
		{Decision: Decide(reason(Recapture)), Score: 9, Sample: 3},
	}
	var adv Advice
	for _, a := range attempts {
		var err error
		adv, err = s.Add(a)
		require.NoError(t, err)
	}
	assert.Equal(t, Exhausted, adv.Step)
	assert.Equal(t, 1, adv.Best)
	assert.Contains(t, adv.Instruction, "keep attempt 2")
	best, _ := s.Best()
	assert.Equal(t, 2, best.Sample)
}

func TestSessionConcurrent(t *testing.T) {
	s := NewSession(20)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = s.Add(Attempt{Decision: Decide(reason(Recapture)), Score: float64(i)})
			_ = s.Advice()
		}()
	}
	wg.Wait()
	best, ok := s.Best()
	require.True(t, ok)
	assert.Equal(t, 19.0, best.Score)
	assert.Equal(t, Exhausted, s.Advice().Step)
	assert.Len(t, s.Attempts(), 20)
}

func TestReasonRequirement(t *testing.T) {
	tests := []struct {
		r    Reason
		want string
	}{
		{Reason{Comparison: AtLeast, Threshold: 120, Unit: "px"}, ">= 120 px"},
		{Reason{Comparison: NotEqual, Threshold: 0}, "!= 0"},
		{Reason{Comparison: AbsAtMost, Threshold: 8, Unit: "deg", Value: -12.1}, "within ±8 deg"},
		{Reason{Comparison: AbsAtMost, Threshold: 0.05}, "within ±0.05"},
		{Reason{Comparison: Present}, ""},
		{Reason{}, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.r.Comparison), func(t *testing.T) {
			assert.Equal(t, tt.want, tt.r.Requirement())
		})
	}
}
