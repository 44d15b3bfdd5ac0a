package nfiq2

import "sync"

// slicePool recycles the large scratch slices of one image's assessment
// (the ROI stage's planes), which would otherwise be allocated and zeroed
// for every image. A slice from get holds arbitrary values: callers write
// every element they read.
type slicePool[T any] struct{ p sync.Pool }

func (s *slicePool[T]) get(n int) []T {
	if v, ok := s.p.Get().(*[]T); ok && cap(*v) >= n {
		return (*v)[:n]
	}
	return make([]T, n)
}

func (s *slicePool[T]) put(b []T) {
	if cap(b) > 0 {
		s.p.Put(&b)
	}
}

var (
	bytePool   slicePool[uint8]
	uint64Pool slicePool[uint64]
	int32Pool  slicePool[int32]
)
