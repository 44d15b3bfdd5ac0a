package face

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/biogate/biogate/quality"
)

// labelRow is one row of content/labels.csv: an image, a check and its
// label, with the source the image came from.
type labelRow struct {
	file, check, label, source string
}

// labelledFace is one image of the labelled content photographs or one
// annotated portrait (with its variants), assessed once for every test
// that reads them (the content checks of issue 27, the occlusion checks
// of issue 28).
type labelledFace struct {
	file            string
	found, assessed bool   // a face was found; the mesh assessed it
	reason          string // why not, when not assessed
	ms              quality.Measures
	expr            [numExprFeatures]float64 // ExpressionNeutrality's features
	mouth           mouthScan                // MouthClosed's image readings
	t               float64                  // OFIQ's T, pixels
	occ             occFeatures              // the occlusion cues
	mesh            *Mesh                    // the face's mesh, when assessed
}

// labelledSet is the assessed set: the rows of labels.csv in file order,
// and each image (labelled photographs and portraits) by its path under
// the face corpus.
type labelledSet struct {
	rows      []labelRow
	portraits []truthRow // annotated portraits and variants with eye truth
	faces     map[string]*labelledFace
}

var (
	labelledOnce sync.Once
	labelledVal  *labelledSet
	labelledErr  error
)

// loadLabelled reads content/labels.csv and the annotated portraits and
// assesses each image once (two workers).
func loadLabelled(t *testing.T, dir string) *labelledSet {
	t.Helper()
	labelledOnce.Do(func() {
		labelledVal, labelledErr = assessLabelled(t, dir)
	})
	if labelledErr != nil {
		t.Fatal(labelledErr)
	}
	return labelledVal
}

func assessLabelled(t *testing.T, dir string) (*labelledSet, error) {
	a, err := New(nil)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, "content", "labels.csv"))
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		return nil, err
	}
	set := &labelledSet{faces: map[string]*labelledFace{}}
	var files []string
	add := func(file string) {
		if set.faces[file] == nil {
			set.faces[file] = &labelledFace{file: file}
			files = append(files, file)
		}
	}
	for _, r := range recs[1:] {
		file := filepath.Join("content", r[0])
		set.rows = append(set.rows, labelRow{file: file, check: r[1], label: r[2], source: r[3]})
		add(file)
	}
	for _, r := range readTruth(t, dir) {
		_, ok := portraitKey(r.File)
		if _, okCat := eyeCat(r.Category); !ok || !okCat || !r.HasGT || set.faces[r.File] != nil {
			continue
		}
		set.portraits = append(set.portraits, r)
		add(r.File)
	}
	var wg sync.WaitGroup
	next := make(chan *labelledFace)
	errs := make(chan error, len(files))
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lf := range next {
				if err := lf.assess(a, dir); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, file := range files {
		next <- set.faces[file]
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		return nil, err
	}
	return set, nil
}

// assess fills lf from one assessment of its image.
func (lf *labelledFace) assess(a *Assessor, dir string) error {
	img, err := loadFile(filepath.Join(dir, lf.file))
	if err != nil {
		return err
	}
	rep, err := a.Assess(img, nil)
	if err != nil {
		return fmt.Errorf("%s: %v", lf.file, err)
	}
	lf.ms = rep.Measures
	if len(rep.Faces) == 0 {
		lf.reason = "no face"
		return nil
	}
	lf.found = true
	fc := rep.Faces[0]
	if fc.Mesh == nil {
		lf.reason = fc.MeshNotAssessed
		return nil
	}
	lf.assessed = true
	b := img.Bounds()
	g := luma(img, make([]uint8, b.Dx()*b.Dy()))
	lf.expr = fc.Mesh.expressionFeatures()
	lf.mouth = scanMouth(g, fc.Mesh, b.Min)
	lf.t = fc.Mesh.contentT()
	lf.occ = occlusionFeatures(img, g, fc.Mesh)
	lf.mesh = fc.Mesh
	return nil
}

// balancedAccuracy is the mean of the true-positive rate tp/pos and the
// true-negative rate tn/neg, NaN when either class is empty: the figure the
// content and occlusion checks report.
func balancedAccuracy(tp, pos, tn, neg int) float64 {
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (float64(tp)/float64(pos) + float64(tn)/float64(neg)) / 2
}

// splitFold splits items into the training items (every fold but fold)
// and the test items (fold), each in the items' order.
func splitFold[T any](items []T, fold int, foldOf func(T) int) (train, test []T) {
	for _, it := range items {
		if foldOf(it) == fold {
			test = append(test, it)
		} else {
			train = append(train, it)
		}
	}
	return train, test
}
