package wsq

// Huffman tables use the JPEG convention: counts of codes of each length
// 1..16 followed by the symbols in order of increasing code length; codes are
// assigned canonically.

const (
	maxHuffBits   = 16
	maxHuffValues = 256
	numHuffTables = 8
)

// huffTable is a decoding table in the classic mincode/maxcode form.
type huffTable struct {
	defined bool
	counts  [maxHuffBits + 1]int // counts[l] codes of length l
	values  []byte
	mincode [maxHuffBits + 1]int32
	maxcode [maxHuffBits + 1]int32 // -1 when there is no code of that length
	valptr  [maxHuffBits + 1]int32
}

// build computes the canonical codes and checks that they fit.
func (h *huffTable) build() error {
	code := int32(0)
	k := int32(0)
	for l := 1; l <= maxHuffBits; l++ {
		n := int32(h.counts[l])
		h.valptr[l] = k
		h.mincode[l] = code
		code += n
		k += n
		if code > 1<<l {
			return FormatError("bad Huffman code lengths")
		}
		if n == 0 {
			h.maxcode[l] = -1
		} else {
			h.maxcode[l] = code - 1
		}
		code <<= 1
	}
	return nil
}

// Encoding side.

// huffCode is the code word of one symbol.
type huffCode struct {
	code uint32
	size uint8
}

// buildTable derives code lengths limited to 16 bits from symbol frequencies,
// following the procedure of ITU-T T.81 Annex K.2, and returns the counts per
// length, the symbols in code order and the code of each symbol.
func buildTable(freq *[maxHuffValues]int) (counts [maxHuffBits + 1]int, values []byte, codes [maxHuffValues]huffCode) {
	// One extra symbol with frequency 1 reserves the all-ones code word.
	const n = maxHuffValues + 1
	var f [n]int
	copy(f[:], freq[:])
	f[maxHuffValues] = 1
	var size [n]int
	var others [n]int
	for i := range others {
		others[i] = -1
	}
	for {
		// v1: least frequent (ties: larger index); v2: next least.
		v1, v2 := -1, -1
		for i := 0; i < n; i++ {
			if f[i] > 0 && (v1 < 0 || f[i] <= f[v1]) {
				v1 = i
			}
		}
		for i := 0; i < n; i++ {
			if f[i] > 0 && i != v1 && (v2 < 0 || f[i] <= f[v2]) {
				v2 = i
			}
		}
		if v2 < 0 {
			break
		}
		f[v1] += f[v2]
		f[v2] = 0
		size[v1]++
		for others[v1] >= 0 {
			v1 = others[v1]
			size[v1]++
		}
		others[v1] = v2
		size[v2]++
		for others[v2] >= 0 {
			v2 = others[v2]
			size[v2]++
		}
	}
	var bits [n + 1]int
	for i := 0; i < n; i++ {
		if size[i] > 0 {
			bits[size[i]]++
		}
	}
	// Limit lengths to 16 bits (Annex K.3, Figure K.3).
	for i := len(bits) - 1; i > maxHuffBits; i-- {
		for bits[i] > 0 {
			j := i - 2
			for bits[j] == 0 {
				j--
			}
			bits[i] -= 2
			bits[i-1]++
			bits[j+1] += 2
			bits[j]--
		}
	}
	// Remove the reserved code word from the longest length.
	for i := maxHuffBits; i > 0; i-- {
		if bits[i] > 0 {
			bits[i]--
			break
		}
	}
	copy(counts[1:], bits[1:maxHuffBits+1])
	// Symbols sorted by code length (stable by symbol value).
	for l := 1; l < len(bits); l++ {
		for s := 0; s < maxHuffValues; s++ {
			if size[s] == l {
				values = append(values, byte(s))
			}
		}
	}
	// Lengths after limiting: reassign in order.
	k := 0
	code := uint32(0)
	for l := 1; l <= maxHuffBits; l++ {
		for i := 0; i < counts[l]; i++ {
			codes[values[k]] = huffCode{code: code, size: uint8(l)}
			code++
			k++
		}
		code <<= 1
	}
	values = values[:k]
	return counts, values, codes
}
