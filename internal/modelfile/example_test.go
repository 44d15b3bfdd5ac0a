package modelfile_test

import (
	"fmt"

	"github.com/biogate/biogate/internal/modelfile"
)

func ExampleFile_Check() {
	f := modelfile.File{Name: "abc", SHA256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Size: 3}
	_, ok := f.Check([]byte("abc"))
	fmt.Println(ok)
	sum, ok := f.Check([]byte("abd"))
	fmt.Println(ok, sum[:12])
	// Output:
	// true
	// false a52d159f262b
}
