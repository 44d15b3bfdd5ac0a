#!/bin/sh
# Regenerates the JPEG 2000 test fixtures of this folder.
#
# Sources are synthesised by ./gen (gradients, noise, a synthetic ridge
# pattern, a portrait-like colour image); nothing comes from real biometric
# data. Each fixture is encoded with opj_compress (OpenJPEG, Debian package
# libopenjp2-tools) and decoded with opj_decompress to a PNG reference
# (<fixture>.png) that the tests compare against: exactly for lossless
# fixtures, within 1 grey level for lossy ones.
#
# Run from the package folder: sh testdata/gen.sh
set -eu
cd "$(dirname "$0")"
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
go run ./gen "$src"
rm -f ./*.j2k ./*.jp2 ./*.png

enc() { # enc OUTPUT SOURCE OPTIONS...
	out=$1 in=$2
	shift 2
	opj_compress -i "$src/$in" -o "$out" "$@" >/dev/null
	opj_decompress -i "$out" -o "$out.png" >/dev/null
}

# Lossless 5/3.
enc gradient_53.j2k gradient.pgm
enc noise_53_l2.j2k noise.pgm -n 2
enc gradient_53_cb4.j2k gradient.pgm -b 4,4 -n 3
enc ridge_53_tiles_rpcl.j2k ridge.pgm -t 48,40 -n 4 -p RPCL
enc ridge_53_modes.j2k ridge.pgm -M 63 -n 3
enc ridge_53_offset_rlcp.j2k ridge.pgm -d 5,3 -t 50,60 -T 2,1 -p RLCP -n 3
enc deep12_53.j2k deep.pgm -n 3
enc deep16_53.j2k deep16.pgm -n 3
enc portrait_rct.jp2 portrait.ppm
enc portrait_53_prec_pcrl.j2k portrait.ppm -c '[32,32],[16,16]' -b 8,8 -p PCRL -n 3
enc portrait_53_cprl_sop_eph.j2k portrait.ppm -p CPRL -SOP -EPH -TP C -n 3
enc portrait_53_nomct_layers.j2k portrait.ppm -mct 0 -r 20,5,1 -p LRCP
enc portrait_53_poc_tiles.j2k portrait.ppm -n 3 -r 20,5,1 -t 40,40 -POC 'T1=0,0,2,2,3,RPCL/T1=0,0,3,4,3,PCRL'
enc ridge_53_roi.j2k ridge.pgm -ROI c=0,U=5 -n 3

# Lossy 9/7.
enc gradient_97.j2k gradient.pgm -I -r 8
enc ridge_97_layers.jp2 ridge.pgm -I -r 40,20,8 -n 5
enc ridge_97_bypass_vsc.j2k ridge.pgm -I -r 6 -M 9 -n 2
enc ridge_97_n0.j2k ridge.pgm -I -q 40 -n 1
enc deep16_97.j2k deep16.pgm -I -n 3 -r 4
enc portrait_ict.jp2 portrait.ppm -I -r 15
enc ridge_97_roi.j2k ridge.pgm -ROI c=0,U=3 -I -r 10
enc portrait_97_tiles_prec.j2k portrait.ppm -I -r 10 -t 40,40 -c '[64,64],[32,32]' -p RPCL

# Benchmark image: 600x800 colour portrait, lossy as in ICAO portraits. Its
# reference decode is not committed (size); the tests compare it against
# opj_decompress at test time when that is installed.
opj_compress -i "$src/portrait600x800.ppm" -o portrait600x800_97.jp2 -I -r 40 >/dev/null
