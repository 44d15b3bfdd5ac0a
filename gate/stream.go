package gate

import (
	"context"
	"iter"
	"runtime"
	"sync"
)

// RunSeq is RunInputs over inputs taken from a sequence as the run goes (a
// manifest read line by line), so that memory stays flat whatever the
// number of inputs: at most 4 × workers inputs are taken ahead of the
// oldest one not yet emitted, and the sequence is never held whole. emit
// is called in input order, i counting the inputs taken from the sequence
// from 0; the reports of one input (several for a biometric record) are
// emitted together, all or none. On cancellation it returns ctx's error
// at once, as RunInputs does, and stops taking inputs; the sequence's
// iterator may then be left blocked in a read it was making.
func (g *Gate) RunSeq(ctx context.Context, inputs iter.Seq[Input], workers int, emit func(i int, r Report)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		i  int
		in Input
	}
	type result struct {
		i int
		r []Report
	}
	window := make(chan struct{}, 4*workers) // inputs taken, not yet emitted
	jobs := make(chan job)
	results := make(chan result, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				var rep []Report
				if j.in.Err != nil {
					rep = []Report{g.unreadable(j.in.Path, j.in.Err)}
				} else {
					rep = g.AssessFile(ctx, j.in.Path)
				}
				select {
				case results <- result{j.i, rep}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		i := 0
		for in := range inputs {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- job{i, in}:
			case <-ctx.Done():
				return
			}
			i++
		}
	}()
	go func() { wg.Wait(); close(results) }()

	pending := map[int][]Report{}
	next := 0
	for {
		var res result
		select {
		case r, ok := <-results:
			if !ok {
				return ctx.Err()
			}
			res = r
		case <-ctx.Done():
			return ctx.Err()
		}
		pending[res.i] = res.r
		for {
			rs, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			for _, r := range rs {
				emit(next, r)
			}
			next++
			<-window
		}
	}
}
