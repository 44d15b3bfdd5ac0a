package face

import (
	"github.com/biogate/biogate/internal/fpmath"
	"math"

	"github.com/biogate/biogate/quality"
)

// Expression features, from the mesh's geometry in the frame of the eye
// line (u along the line from the image-left to the image-right eye
// centre, v perpendicular and down), in units of the inter-eye distance D
// (between the eye-contour means, meshEyeContour):
//
//   - MouthWidth: distance between the mouth corners (61, 291) / D; a
//     smile widens the mouth.
//   - CornerRaise: how far the mouth corners sit above the middle of the
//     lips (13, 14), / D; a smile raises them, sadness lowers them.
//   - LipGap: the inner-lip opening (as MouthClosed) / D; teeth in a
//     smile, surprise, fear, speech.
//   - BrowRaise: the mean height of the brows (66, 105, 296, 334) above
//     the eyes' mid-lid line (159, 145, 386, 374), / D; surprise and fear
//     raise them.
const (
	featMouthWidth = iota
	featCornerRaise
	featLipGap
	featBrowRaise
	numExprFeatures
)

// exprFeatureNames name the features in the order of the constants above.
var exprFeatureNames = [numExprFeatures]string{"MouthWidth", "CornerRaise", "LipGap", "BrowRaise"}

// meshEyeContour are the six mesh points per eye that correspond to dlib's
// six eye-contour points (outer corner, two upper-lid points, inner corner,
// two lower-lid points): the corpus' eye reference is their mean.
var meshEyeContour = [2][6]int{{33, 160, 158, 133, 153, 144}, {263, 387, 385, 362, 380, 373}}

// contourMeans returns the mean of each eye's six contour points
// (image-left eye first).
func (m *Mesh) contourMeans() [2]quality.Point {
	var c [2]quality.Point
	for e, ix := range meshEyeContour {
		for _, i := range ix {
			c[e].X += m.Points[i].X / 6
			c[e].Y += m.Points[i].Y / 6
		}
	}
	return c
}

// expressionFeatures returns the expression features of m.
func (m *Mesh) expressionFeatures() [numExprFeatures]float64 {
	var f [numExprFeatures]float64
	c := m.contourMeans()
	d := dist(c[0], c[1])
	if d == 0 {
		return f
	}
	ux, uy := (c[1].X-c[0].X)/d, (c[1].Y-c[0].Y)/d
	v := func(i int) float64 { p := m.Points[i]; return float64(p.Y*ux) - float64(p.X*uy) }
	f[featMouthWidth] = dist(m.Points[61], m.Points[291]) / d
	f[featCornerRaise] = ((v(13)+v(14))/2 - (v(61)+v(291))/2) / d
	f[featLipGap] = m.mouthOpening() / d
	f[featBrowRaise] = ((v(159)+v(145)+v(386)+v(374))/4 - (v(66)+v(105)+v(296)+v(334))/4) / d
	return f
}

// exprModel is a logistic model of a non-neutral expression on the
// standardised features: P(non-neutral) = σ(b + Σ w_i (x_i − mean_i)/sd_i).
type exprModel struct {
	Mean, SD, W [numExprFeatures]float64
	B           float64
}

// neutrality returns the probability (0-1) that the expression with
// features x is neutral.
func (m exprModel) neutrality(x [numExprFeatures]float64) float64 {
	z := m.B
	for i := range x {
		if m.SD[i] > 0 {
			z += float64(m.W[i]*(x[i]-m.Mean[i])) / m.SD[i]
		}
	}
	return 1 / (1 + fpmath.Exp(z))
}

// shippedExpression is the all-data fit of fitExpression (see
// TestCorpusContentChecks): the expression-labelled content photographs
// (17 non-neutral: smiles, surprise, fear, sadness; 19 neutral) and the
// 23 clean annotated portraits without teeth showing (neutral). Rounded to
// 4 decimals.
var shippedExpression = exprModel{
	Mean: [numExprFeatures]float64{0.8665, 0.0308, 0.0745, 0.3323},
	SD:   [numExprFeatures]float64{0.1094, 0.0467, 0.0811, 0.0550},
	W:    [numExprFeatures]float64{1.0742, 0.8247, 0.9893, 0.9299},
	B:    -1.3489,
}

// exprL2 is the ridge penalty of fitExpression (on the standardised
// weights, per sample).
const exprL2 = 0.03

// fitExpression fits an exprModel to features xs with labels ys (true:
// non-neutral) by Newton's method on the L2-penalised log-likelihood, from
// zero weights, for a fixed number of steps (deterministic).
func fitExpression(xs [][numExprFeatures]float64, ys []bool) exprModel {
	var m exprModel
	n := float64(len(xs))
	if n == 0 {
		return m
	}
	for _, x := range xs {
		for i := range x {
			m.Mean[i] += x[i] / n
		}
	}
	for _, x := range xs {
		for i := range x {
			d := x[i] - m.Mean[i]
			m.SD[i] += d * d / n
		}
	}
	for i := range m.SD {
		m.SD[i] = math.Sqrt(m.SD[i])
	}
	const k = numExprFeatures + 1
	z := make([][k]float64, len(xs))
	for j, x := range xs {
		for i := range x {
			if m.SD[i] > 0 {
				z[j][i] = (x[i] - m.Mean[i]) / m.SD[i]
			}
		}
		z[j][numExprFeatures] = 1
	}
	var w [k]float64
	for it := 0; it < 50; it++ {
		var g [k]float64
		var h [k][k]float64
		for j := range z {
			var s float64
			for i := range w {
				s += float64(w[i] * z[j][i])
			}
			p := 1 / (1 + fpmath.Exp(-s))
			y := 0.0
			if ys[j] {
				y = 1
			}
			for a := range w {
				g[a] += float64((p - y) * z[j][a])
				for b := range w {
					h[a][b] += float64(p * (1 - p) * z[j][a] * z[j][b])
				}
			}
		}
		for a := 0; a < numExprFeatures; a++ { // the intercept is not penalised
			g[a] += float64(exprL2 * n * w[a])
			h[a][a] += float64(exprL2 * n)
		}
		step, ok := solve(h, g)
		if !ok {
			break
		}
		for a := range w {
			w[a] -= step[a]
		}
	}
	copy(m.W[:], w[:numExprFeatures])
	m.B = w[numExprFeatures]
	return m
}

// solve solves h·x = g by Gaussian elimination with partial pivoting.
func solve(h [numExprFeatures + 1][numExprFeatures + 1]float64, g [numExprFeatures + 1]float64) ([numExprFeatures + 1]float64, bool) {
	const k = numExprFeatures + 1
	var x [k]float64
	for c := 0; c < k; c++ {
		p := c
		for r := c + 1; r < k; r++ {
			if math.Abs(h[r][c]) > math.Abs(h[p][c]) {
				p = r
			}
		}
		if math.Abs(h[p][c]) < 1e-12 {
			return x, false
		}
		h[c], h[p] = h[p], h[c]
		g[c], g[p] = g[p], g[c]
		for r := c + 1; r < k; r++ {
			f := h[r][c] / h[c][c]
			for j := c; j < k; j++ {
				h[r][j] -= float64(f * h[c][j])
			}
			g[r] -= float64(f * g[c])
		}
	}
	for c := k - 1; c >= 0; c-- {
		s := g[c]
		for j := c + 1; j < k; j++ {
			s -= float64(h[c][j] * x[j])
		}
		x[c] = s / h[c][c]
	}
	return x, true
}
