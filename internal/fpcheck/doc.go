// Package fpcheck finds floating-point expressions that a Go compiler may
// fuse into one fused multiply-add (FMA) instruction: a product added to or
// subtracted from another value, x*y + z, z - x*y, s += x*y. The Go
// specification lets an implementation fuse them (arm64 does; amd64 does
// when built with GOAMD64=v3 or above), and a fused result rounds once
// where the unfused one rounds twice, so the last bits differ by platform.
// An explicit conversion, float64(x*y) + z, rounds the product and stops
// the fusion; fpcheck accepts such expressions.
//
// It sees one expression at a time: a product stored in a variable and
// added in a later statement can still be fused; scripts/platforms.sh
// checks the compiled code for those.
package fpcheck
