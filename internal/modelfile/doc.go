// Package modelfile describes the model files a build of biogate may leave
// out to stay small (the face mesh and Iris weights, the nose and mouth
// landmark cascades: the js/wasm build fetches them when first needed) and
// checks bytes supplied for them at run time against the SHA-256 sums
// committed with them.
package modelfile
