package iso19794

import "math"

// ISO/IEC 39794-4 (finger image) and 39794-5 (face image) records are ASN.1
// structures in DER: [APPLICATION 4] and [APPLICATION 5] data blocks holding
// a version block [0] and representation blocks [1].
//
// Finger representation (39794-4:2019 RepresentationBlock):
//
//	position [0] (code), impression [1], imageDataFormat [2],
//	imageData [3] OCTET STRING, ..., qualityBlocks [6],
//	spatialSamplingRateBlock [7] { samplesPerUnit [0], unitDimension [1] (0 inch, 1 cm) }
//
// Face representation (39794-5:2019): representationId [0],
// imageRepresentation [1] → base [0] → ImageRepresentation2DBlock
// { representationData2D [0] OCTET STRING, imageInformation2DBlock [1]
// { imageDataFormat [0], ..., imageSizeBlock [7] { width [0], height [1] } } }.

// is39794 reports whether data starts like an ISO/IEC 39794 data block,
// possibly inside one wrapping tag (as in an ICAO LDS data group).
func is39794(data []byte) bool {
	if len(data) < 2 {
		return false
	}
	if data[0] == 0x64 || data[0] == 0x65 {
		return true
	}
	ns, err := parseDER(data)
	if err != nil || len(ns) == 0 {
		return false
	}
	return find(ns, classApplication, 4) != nil || find(ns, classApplication, 5) != nil
}

func parse39794(data []byte) (*Record, error) {
	ns, err := parseDER(data)
	if err != nil {
		return nil, err
	}
	rec := &Record{Version: "39794"}
	root := find(ns, classApplication, 4)
	rec.Modality = Finger
	if root == nil {
		root = find(ns, classApplication, 5)
		rec.Modality = Face
	}
	if root == nil || !root.constructed {
		return nil, FormatError("no ISO/IEC 39794-4 or -5 data block")
	}
	reps := root.child(1)
	if reps == nil {
		return nil, FormatError("no representation blocks")
	}
	blocks := reps.children
	// A single representation may appear without the SEQUENCE OF wrapper.
	if len(blocks) > 0 && blocks[0].class == classContext {
		blocks = []*node{reps}
	}
	for _, rb := range blocks {
		var im Image
		var ok bool
		if rec.Modality == Finger {
			im, ok = finger39794(rb)
		} else {
			im, ok = face39794(rb)
		}
		if !ok {
			return nil, FormatError("representation block without image data")
		}
		rec.Images = append(rec.Images, im)
	}
	if len(rec.Images) == 0 {
		return nil, FormatError("no representation blocks")
	}
	return rec, nil
}

func finger39794(rb *node) (Image, bool) {
	data := rb.child(3)
	if data == nil || data.constructed {
		return Image{}, false
	}
	im := Image{Data: data.value, Code: rb.child(2).code(), Impression: rb.child(1).code()}
	if p := rb.child(0).code(); p >= 0 && p < 256 {
		im.Position = Position(p)
	}
	im.Format = sniff(im.Data)
	if ssr := rb.child(7); ssr != nil {
		spu := ssr.child(0).integer()
		if spu > 0 {
			v := float64(spu)
			if ssr.child(1).code() == 1 {
				v = math.Round(v*2.54*1000) / 1000
			}
			im.PPI = [2]float64{v, v}
		}
	}
	if im.Format != FormatUnknown {
		if cfg, err := im.DecodeConfig(); err == nil {
			im.Width, im.Height = cfg.Width, cfg.Height
		}
	}
	return im, true
}

// face39794 finds the 2D image block of a face representation.
func face39794(rb *node) (Image, bool) {
	var block *node
	var walk func(n *node, depth int)
	walk = func(n *node, depth int) {
		if block != nil || depth > 6 {
			return
		}
		if d, info := n.child(0), n.child(1); d != nil && !d.constructed && info != nil && info.constructed && sniff(d.value) != FormatUnknown {
			block = n
			return
		}
		for _, c := range n.children {
			walk(c, depth+1)
		}
	}
	if ir := rb.child(1); ir != nil {
		walk(ir, 0)
	}
	if block == nil {
		return Image{}, false
	}
	info := block.child(1)
	im := Image{Data: block.child(0).value, Code: info.child(0).code()}
	im.Format = sniff(im.Data)
	if size := info.child(7); size != nil {
		im.Width, im.Height = max(size.child(0).integer(), 0), max(size.child(1).integer(), 0)
	}
	if im.Width == 0 || im.Height == 0 {
		if cfg, err := im.DecodeConfig(); err == nil {
			im.Width, im.Height = cfg.Width, cfg.Height
		}
	}
	return im, true
}
