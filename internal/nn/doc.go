// Package nn is a small, pure-Go float32 inference engine for the
// convolutional graphs biogate ships (MediaPipe Face Mesh and Iris, as
// TensorFlow.js graph models).
//
// Tensors are dense float32 in NHWC order with batch 1. The operations are
// the ones those graphs use: 2-D convolution (plain and TF's fused
// _FusedConv2D with BiasAdd and an optional Relu, Relu6 or Prelu),
// depthwise convolution (channel multiplier 1), Prelu, Relu, Relu6,
// Sigmoid, element-wise Add/AddV2, MaxPool, constant zero Pad, Reshape,
// ConcatV2, Identity, Const and Placeholder. Anything else is refused at load
// time with an [*UnsupportedError]; malformed model files give a
// [*FormatError] and inconsistent shapes a [*ShapeError]. Loading never
// panics on a corrupt model.
//
// [LoadTFJS] reads the TensorFlow.js graph-model format: the model.json
// topology (a TensorFlow GraphDef in JSON) and its weightsManifest, with
// float32 and int32 weights and float16, uint8 or uint16 quantised weights
// (dequantised to float32 at load).
//
// Determinism: every kernel runs single-threaded with a fixed accumulation
// order (for convolutions: kernel row, kernel column, input channel, each
// accumulated into the output channel, then the bias is added), and every
// multiply-add is written float32(a*b) + c so the compiler cannot fuse it
// into an FMA instruction. The same input gives the same bits on every run,
// GOMAXPROCS and platform. A [Graph] is safe for concurrent use: each call
// to [Graph.Run] takes its own scratch buffers from a pool.
package nn
