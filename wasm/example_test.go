package wasm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/biogate/biogate/wasm"
)

func ExampleEngine_Assess() {
	data, err := os.ReadFile("../testdata/finger/synthetic_good_1.png")
	if err != nil {
		fmt.Println(err)
		return
	}
	eng := wasm.NewEngine()
	js, err := eng.Assess(context.Background(), "synthetic_good_1.png", data, wasm.Options{Modality: "finger"})
	if err != nil {
		fmt.Println(err)
		return
	}
	var batch struct {
		Samples []struct {
			Modality string
			Decision struct{ Outcome string }
		}
	}
	if err := json.Unmarshal(js, &batch); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(batch.Samples[0].Modality, batch.Samples[0].Decision.Outcome)

	// A file that is no image: the CLI exits 2, the browser's promise is
	// rejected with the reason's code.
	_, err = eng.Assess(context.Background(), "notes.txt", []byte("hello"), wasm.Options{})
	var e *wasm.Error
	fmt.Println(errors.As(err, &e), e.Code)
	// Output:
	// finger accept
	// true input.unreadable
}

func ExampleParseOptions() {
	o, err := wasm.ParseOptions([]byte(`{"profile":"ees-usk","set":"face.min_inter_eye_px=90","ppi":500}`))
	fmt.Println(o.Profile, o.Set, o.PPI, err)
	// Output: ees-usk [face.min_inter_eye_px=90] 500 <nil>
}
