package face

import (
	"encoding/csv"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/quality"
)

// occCheck names a labelled occlusion check of the content photographs,
// the component that should flag it and its positive label.
type occCheck struct {
	check, measure, positive string
}

var occChecks = []occCheck{
	{"sunglasses", quality.EyesVisible, "sunglasses"},
	{"face_mask", quality.MouthOcclusionPrevention, "mask"},
	{"face_mask", quality.FaceOcclusionPrevention, "mask"},
	{"hand_object_occlusion", quality.FaceOcclusionPrevention, "occluded"},
	{"head_covering", quality.NoHeadCoverings, "covered"},
}

// occItem is one assessed image of the occlusion evidence.
type occItem struct {
	file, group, source string
	labels              map[string]bool // check -> positive
	portrait            bool
	found, assessed     bool
	reason              string
	ms                  quality.Measures
	feat                occFeatures
}

var (
	occOnce sync.Once
	occVal  []*occItem
	occErr  error
)

// loadOcclusion assesses every image of the occlusion checks and every
// annotated portrait with its variants (two workers).
func loadOcclusion(t *testing.T, dir string) []*occItem {
	t.Helper()
	occOnce.Do(func() {
		a, err := New(nil)
		if err != nil {
			occErr = err
			return
		}
		f, err := os.Open(filepath.Join(dir, "content", "labels.csv"))
		if err != nil {
			occErr = err
			return
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			occErr = err
			return
		}
		byFile := map[string]*occItem{}
		var items []*occItem
		for _, r := range recs[1:] {
			var cc *occCheck
			for i := range occChecks {
				if occChecks[i].check == r[1] {
					cc = &occChecks[i]
				}
			}
			if cc == nil {
				continue
			}
			file := filepath.Join("content", r[0])
			it := byFile[file]
			if it == nil {
				it = &occItem{file: file, group: contentGroup(r[0]), source: r[3], labels: map[string]bool{}}
				byFile[file] = it
				items = append(items, it)
			}
			it.labels[cc.check] = r[2] == cc.positive
		}
		for _, r := range readTruth(t, dir) {
			key, ok := portraitKey(r.File)
			if _, okCat := eyeCat(r.Category); !ok || !okCat || !r.HasGT || byFile[r.File] != nil {
				continue
			}
			it := &occItem{file: r.File, group: "portrait:" + key, source: "portraits", portrait: true}
			byFile[r.File] = it
			items = append(items, it)
		}
		var wg sync.WaitGroup
		next := make(chan *occItem)
		errs := make(chan error, len(items))
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for it := range next {
					img, err := loadFile(filepath.Join(dir, it.file))
					if err != nil {
						errs <- err
						continue
					}
					rep, err := a.Assess(img, nil)
					if err != nil {
						errs <- fmt.Errorf("%s: %v", it.file, err)
						continue
					}
					it.ms = rep.Measures
					if len(rep.Faces) == 0 {
						it.reason = "no face"
						continue
					}
					it.found = true
					fc := rep.Faces[0]
					if fc.Mesh == nil {
						it.reason = fc.MeshNotAssessed
						continue
					}
					it.assessed = true
					b := img.Bounds()
					g := luma(img, make([]uint8, b.Dx()*b.Dy()))
					it.feat = occlusionFeatures(img, g, fc.Mesh)
				}
			}()
		}
		for _, it := range items {
			next <- it
		}
		close(next)
		wg.Wait()
		close(errs)
		for err := range errs {
			if occErr == nil {
				occErr = err
			}
		}
		occVal = items
	})
	if occErr != nil {
		t.Fatal(occErr)
	}
	return occVal
}

// TestCorpusOcclusionDump writes the raw cues to $OCCL_DUMP (development
// aid).
func TestCorpusOcclusionDump(t *testing.T) {
	out := os.Getenv("OCCL_DUMP")
	if out == "" {
		t.Skip("OCCL_DUMP not set")
	}
	dir := corpus.Dir(t, "face")
	items := loadOcclusion(t, dir)
	var b strings.Builder
	zs := func(p string, z zoneStats) string {
		return fmt.Sprintf("%s_dark=%.4f,%s_bright=%.4f,%s_skin=%.4f,%s_meanL=%.4f,%s_chroma=%.3f,%s_grad=%.4f,%s_sd=%.4f,%s_hedge=%.4f",
			p, z.dark, p, z.bright, p, z.skinLike, p, z.meanL, p, z.chroma, p, z.grad, p, z.sdL, p, z.hEdge)
	}
	for _, it := range items {
		var labs []string
		for k, v := range it.labels {
			labs = append(labs, fmt.Sprintf("%s=%v", k, v))
		}
		f := it.feat
		fmt.Fprintf(&b, "%s\t%s\t%s\t%v\t%v\t%v\t%s\t%s,%s,%s,%s,skinC=%.1f,skinF=%.1f,spC=%.1f,spF=%.1f\n", it.file, it.group, it.source, it.portrait, it.found, it.assessed, strings.Join(labs, ";"),
			zs("eyeL", f.eye[0]), zs("eyeR", f.eye[1]), zs("mouth", f.mouth), zs("ftop", f.foreTop),
			f.skinCheek.l, f.skinForehead.l, f.skinCheek.spread, f.skinForehead.spread)
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCorpusOcclusionVis writes, for $OCCL_VIS (a check name), a PNG
// montage of the sampled frames of its images to /tmp (development aid).
func TestCorpusOcclusionVis(t *testing.T) {
	check := os.Getenv("OCCL_VIS")
	if check == "" {
		t.Skip("OCCL_VIS not set")
	}
	dir := corpus.Dir(t, "face")
	a, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(filepath.Join(dir, "content", "labels.csv"))
	recs, _ := csv.NewReader(f).ReadAll()
	f.Close()
	var tiles []*image.Gray
	for _, r := range recs[1:] {
		if r[1] != check {
			continue
		}
		img, err := loadFile(filepath.Join(dir, "content", r[0]))
		if err != nil {
			t.Fatal(err)
		}
		rep, _ := a.Assess(img, nil)
		tile := image.NewGray(image.Rect(0, 0, occW, occH+6))
		if len(rep.Faces) > 0 && rep.Faces[0].Mesh != nil {
			b := img.Bounds()
			g := luma(img, make([]uint8, b.Dx()*b.Dy()))
			_, o := occlusionFeaturesFrame(img, g, rep.Faces[0].Mesh)
			for k, p := range o.pix {
				if o.have[k] {
					tile.Pix[k] = uint8(p.l)
				}
			}
		}
		if strings.HasPrefix(r[2], "no") || r[2] == "bare" || r[2] == "not_occluded" {
			for i := 0; i < occW; i++ {
				tile.Pix[(occH+3)*occW+i] = 255
			}
		}
		tiles = append(tiles, tile)
	}
	const cols = 8
	rows := (len(tiles) + cols - 1) / cols
	out := image.NewGray(image.Rect(0, 0, cols*occW*2, rows*(occH+6)*2))
	for n, tl := range tiles {
		ox, oy := (n%cols)*occW*2, (n/cols)*(occH+6)*2
		for y := 0; y < (occH+6)*2; y++ {
			for x := 0; x < occW*2; x++ {
				out.Pix[(oy+y)*out.Stride+ox+x] = tl.Pix[(y/2)*occW+x/2]
			}
		}
	}
	w, _ := os.Create("/tmp/vis_" + check + ".png")
	png.Encode(w, out)
	w.Close()
}
