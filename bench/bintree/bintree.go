// The Go twin of bench/bintree/bintree.cpp: binary-trees, the same lines.
//
//	bintree [small] [DEPTH]...     (default: 18 then 21; small: 12)
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
)

type node struct{ left, right *node }

func bottomUp(depth int) *node {
	n := new(node)
	if depth > 0 {
		n.left = bottomUp(depth - 1)
		n.right = bottomUp(depth - 1)
	}
	return n
}

func (n *node) check() int64 {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.check() + n.right.check()
}

const minDepth = 4

// maxPause is the longest pause of the cycles between two ReadMemStats (of
// the last 256).
func maxPause(before, after *runtime.MemStats) (uint32, uint64) {
	n := after.NumGC - before.NumGC
	var max uint64
	for k := uint32(0); k < n && k < 256; k++ {
		if p := after.PauseNs[(after.NumGC-k+255)%256]; p > max {
			max = p
		}
	}
	return n, max
}

func peakRSSKB() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return -1
	}
	return int64(ru.Maxrss) // KiB on Linux
}

func tenths(a, b int64) string {
	t := a * 10 / b
	return fmt.Sprintf("%d.%d", t/10, t%10)
}

func bintree(depth int) {
	maxDepth := depth
	if maxDepth < minDepth+2 {
		maxDepth = minDepth + 2
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t0 := time.Now()

	total := bottomUp(maxDepth + 1).check()
	longLived := bottomUp(maxDepth)
	levels := (maxDepth-minDepth)/2 + 1
	sums := make([]int64, levels)
	var wg sync.WaitGroup
	wg.Add(levels)
	for l := 0; l < levels; l++ {
		go func(l int) {
			d := minDepth + 2*l
			var sum int64
			for i := int64(1) << (maxDepth - d + minDepth); i > 0; i-- {
				sum += bottomUp(d).check()
			}
			sums[l] = sum
			wg.Done()
		}(l)
	}
	wg.Wait()
	for _, s := range sums {
		total += s
	}
	total += longLived.check()

	ns := time.Since(t0).Nanoseconds()
	runtime.ReadMemStats(&after)
	want := int64(1)<<(maxDepth+2) - 1 + int64(1)<<(maxDepth+1) - 1
	for d := minDepth; d <= maxDepth; d += 2 {
		want += int64(1) << (maxDepth - d + minDepth) * (int64(1)<<(d+1) - 1)
	}
	if total != want {
		fmt.Fprintf(os.Stderr, "bintree check: got %d, want %d\n", total, want)
		os.Exit(2)
	}
	gcs, pause := maxPause(&before, &after)
	fmt.Printf("bintree depth=%d check=%d ms=%s gcs=%d maxpause_us=%s peak_rss_kb=%d\n",
		maxDepth, total, tenths(ns, 1000000), gcs, tenths(int64(pause), 1000), peakRSSKB())
}

func main() {
	depths, small := 0, false
	for _, a := range os.Args[1:] {
		if a == "small" {
			small = true
			continue
		}
		d, err := strconv.Atoi(a)
		if err != nil || d < 1 || d > 30 {
			fmt.Fprintf(os.Stderr, "bintree: bad depth %s (want 1 to 30)\n", a)
			os.Exit(2)
		}
		bintree(d)
		depths++
	}
	if depths == 0 && small {
		bintree(12)
	} else if depths == 0 {
		bintree(18)
		bintree(21)
	}
}
