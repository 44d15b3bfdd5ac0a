package facemesh

import (
	"encoding/csv"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
)

// portraitEyes is one annotated face of face/eyes.csv: the eye centres
// (mean of dlib's six eye-contour points), "l" the eye on the image's left.
type portraitEyes struct {
	file, category string
	lx, ly, rx, ry float64
}

func loadEyeTable(t *testing.T, cats ...string) (string, []portraitEyes) {
	t.Helper()
	dir := corpus.Dir(t, "face")
	f, err := os.Open(filepath.Join(dir, "eyes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, c := range cats {
		want[c] = true
	}
	var out []portraitEyes
	for _, r := range rows[1:] {
		if !want[r[1]] {
			continue
		}
		v := make([]float64, 4)
		for i := range v {
			if v[i], err = strconv.ParseFloat(r[3+i], 64); err != nil {
				t.Fatalf("eyes.csv: %v", err)
			}
		}
		out = append(out, portraitEyes{r[0], r[1], v[0], v[1], v[2], v[3]})
	}
	if len(out) == 0 {
		t.Fatalf("eyes.csv has no rows for %v", cats)
	}
	return dir, out
}

func decodeFile(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// meshCrop places the mesh crop from the two eye centres: side sideIED·IED,
// centred downIED·IED below the eye midpoint, rotated to level the eyes.
func meshCrop(e portraitEyes, sideIED, downIED float64) (cx, cy, side, angle float64) {
	dx, dy := e.rx-e.lx, e.ry-e.ly
	d := math.Hypot(dx, dy)
	angle = math.Atan2(dy, dx)
	s, c := math.Sincos(angle)
	mx, my := (e.lx+e.rx)/2, (e.ly+e.ry)/2
	return mx - downIED*d*s, my + downIED*d*c, sideIED * d, angle
}

func groupMean(r *MeshResult, toImage func(x, y float64) (float64, float64), groups ...[]int) (float64, float64) {
	var sx, sy float64
	n := 0
	for _, g := range groups {
		for _, i := range g {
			x, y := toImage(float64(r.Points[i][0]), float64(r.Points[i][1]))
			sx += x
			sy += y
			n++
		}
	}
	return sx / float64(n), sy / float64(n)
}

// meshFraming is the crop TestCorpusMesh uses: side 3.5 IED, centred
// 0.5 IED below the eye midpoint. It was picked among three framings
// (3.0/0.4, 3.5/0.5, 4.0/0.6: 137, 142 and 138 of 150 faces within 0.05
// IED) on these same images, so the figures are in-sample for the framing;
// the network itself never saw them.
const meshSideIED, meshDownIED = 3.5, 0.5

type meshFace struct {
	e       portraitEyes
	img     image.Image
	r       MeshResult
	toImage func(x, y float64) (float64, float64)
}

func runMeshOn(t *testing.T, dir string, faces []portraitEyes) []meshFace {
	t.Helper()
	mesh, err := LoadMesh()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]meshFace, 0, len(faces))
	for _, e := range faces {
		in := make([]float32, MeshInputSize*MeshInputSize*3)
		img := decodeFile(t, filepath.Join(dir, e.file))
		cx, cy, side, angle := meshCrop(e, meshSideIED, meshDownIED)
		toImage := CropInput(img, cx, cy, side, angle, MeshInputSize, in)
		r, err := mesh.Run(in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, meshFace{e, img, r, toImage})
	}
	return out
}

// TestCorpusMesh runs Face Mesh on the annotated portraits and their
// variants, cropped from the annotated eye centres, and compares the mean
// of each eye's 16 lid points (mapped back to the image) with the
// annotation (mean of dlib's six eye points). It checks the crop, run and
// mapping chain on real faces, not a product accuracy (the face checks
// place their own crops).
func TestCorpusMesh(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("corpus pass (~15 s; the race detector makes it 5-10× slower): runs without -short and -race")
	}
	dir, faces := loadEyeTable(t, "portrait", "portrait_marginal", "ied100", "roll12", "underexposed", "jpeg_q10")
	res := runMeshOn(t, dir, faces)
	within, minScore, sum := 0, 1.0, 0.0
	for _, m := range res {
		e := m.e
		lx, ly := groupMean(&m.r, m.toImage, RightEyeUpper0, RightEyeLower0) // image-left eye
		rx, ry := groupMean(&m.r, m.toImage, LeftEyeUpper0, LeftEyeLower0)
		d := math.Hypot(e.rx-e.lx, e.ry-e.ly)
		worst := math.Max(math.Hypot(lx-e.lx, ly-e.ly), math.Hypot(rx-e.rx, ry-e.ry)) / d
		if worst <= 0.05 {
			within++
		}
		sum += worst
		minScore = math.Min(minScore, float64(m.r.Score))
	}
	t.Logf("%d faces: both eyes within 0.05 IED on %d (%.1f %%), mean worst-eye error %.3f IED, lowest face score %.3f",
		len(res), within, 100*float64(within)/float64(len(res)), sum/float64(len(res)), minScore)
	if float64(within) < 0.9*float64(len(res)) || minScore < 0.9 {
		t.Errorf("mesh eyes within 0.05 IED on %d of %d faces (floor 90 %%), lowest score %.3f (floor 0.9)", within, len(res), minScore)
	}
}

// TestCorpusIrisEyeSide checks which eye the Iris model expects, through
// Iris.RunEye on the mesh's eye corners. Under the documented convention
// (the subject's right eye, on the image's left, as it is; the subject's
// left eye mirrored) the Iris lid points must land on the mesh lid points
// IrisContourGroups maps them to. Under the opposite convention (mirror
// the other eye), even with the contour order reversed to suit it best,
// they must land clearly further. Measured on the 30 portraits: 0.0324
// IED, against 0.0573 IED (0.257 IED without the reversal).
func TestCorpusIrisEyeSide(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("corpus pass: runs without -short and -race")
	}
	dir, faces := loadEyeTable(t, "portrait", "portrait_marginal")
	res := runMeshOn(t, dir, faces)
	iris, err := LoadIris()
	if err != nil {
		t.Fatal(err)
	}
	meshPt := func(m *meshFace, i int) (float64, float64) {
		return m.toImage(float64(m.r.Points[i][0]), float64(m.r.Points[i][1]))
	}
	// lidError runs one eye and returns the mean distance, in IED, between
	// the Iris lid points and the mesh lid points they map to. mirrored
	// selects the mirrored run (RunEye's subjectLeft).
	lidError := func(m *meshFace, outer, inner int, upper, lower []int, mirrored bool, d float64) float64 {
		ox, oy := meshPt(m, outer)
		ix, iy := meshPt(m, inner)
		// RunEye levels the crop along the corners. For the opposite
		// convention, swap the corners so the crop still runs left to
		// right across the image and only the mirroring differs; the
		// model then puts its first point on the inner corner, so the
		// lids' order is reversed to compare like with like.
		var e Eye
		var err error
		if (outer == LeftEyeOuter) == mirrored {
			e, err = iris.RunEye(m.img, ox, oy, ix, iy, mirrored)
		} else {
			e, err = iris.RunEye(m.img, ix, iy, ox, oy, mirrored)
			// Contour order then starts at the inner corner.
			for k, l := 0, 8; k < l; k, l = k+1, l-1 {
				e.Contour[k], e.Contour[l] = e.Contour[l], e.Contour[k]
			}
			for k, l := 9, 15; k < l; k, l = k+1, l-1 {
				e.Contour[k], e.Contour[l] = e.Contour[l], e.Contour[k]
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		sum, n := 0.0, 0
		for _, grp := range []struct {
			key  string
			mesh []int
		}{{"EyeUpper0", upper}, {"EyeLower0", lower}} {
			for j, k := range IrisContourGroups[grp.key] {
				mx, my := meshPt(m, grp.mesh[j])
				sum += math.Hypot(e.Contour[k][0]-mx, e.Contour[k][1]-my) / d
				n++
			}
		}
		return sum / float64(n)
	}
	var good, bad float64
	for i := range res {
		m := &res[i]
		d := math.Hypot(m.e.rx-m.e.lx, m.e.ry-m.e.ly)
		// Image-left eye is the subject's right (33 outer, 133 inner).
		// Documented: image-left as it is, image-right mirrored.
		good += lidError(m, RightEyeOuter, RightEyeInner, RightEyeUpper0, RightEyeLower0, false, d) +
			lidError(m, LeftEyeOuter, LeftEyeInner, LeftEyeUpper0, LeftEyeLower0, true, d)
		bad += lidError(m, RightEyeOuter, RightEyeInner, RightEyeUpper0, RightEyeLower0, true, d) +
			lidError(m, LeftEyeOuter, LeftEyeInner, LeftEyeUpper0, LeftEyeLower0, false, d)
	}
	n := float64(2 * len(res))
	t.Logf("%d eyes: Iris lid points vs mesh lid points, documented convention %.4f IED, opposite %.4f IED", int(n), good/n, bad/n)
	if good/n > 0.05 || bad < 1.4*good {
		t.Errorf("documented eye side: %.4f IED (ceiling 0.05), opposite %.4f (must be at least 1.4× as far)", good/n, bad/n)
	}
}
