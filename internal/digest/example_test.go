package digest_test

import (
	"fmt"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/internal/digest"
	"github.com/biogate/biogate/quality"
)

func Example() {
	var d digest.Digest
	d.Add("corpus/print.png", gate.Report{
		Modality: quality.Finger,
		Measures: quality.Measures{quality.Native("FDA_Bin10_Mean", 0.1, "")},
		Decision: quality.Decide(),
	})
	for _, l := range d.Lines() {
		fmt.Println(l)
	}
	fmt.Println(d.Samples(), "sample,", d.Values(), "values")
	// Output:
	// corpus/print.png 0sample modality="finger" format="" w=0 h=0 ppi=0x0p+00(0)
	// corpus/print.png 2measure FDA_Bin10_Mean value=0x1.999999999999ap-04(0.1)
	// corpus/print.png 6decision outcome="accept"
	// 1 sample, 7 values
}
