// Package fpmath provides the elementary functions the measures need (Exp,
// Log, Log1p, Log2, Pow, Sin, Cos, Atan, Atan2, Hypot, Cbrt) with the same bits
// on every platform.
//
// The standard library's math package gives different last bits by
// platform: Exp, Log and Hypot run assembly on amd64 (and Exp on arm64)
// and pure Go elsewhere, and its pure-Go code is itself compiled with
// fused multiply-adds on arm64 and under GOAMD64=v3. The functions here are
// plain Go written so that no product can be fused (every product that is
// added is wrapped in an explicit conversion) and use only operations that
// IEEE 754 rounds exactly (+, -, *, /, math.Sqrt, math.Ldexp, math.Frexp,
// math.Floor), so their results are the same on every GOARCH and GOAMD64
// level. They are accurate to about one unit in the last place on the
// domains the measures use (see the tests), not correctly rounded.
package fpmath
