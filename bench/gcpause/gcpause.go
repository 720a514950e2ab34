// The Go twin of bench/gcpause/gcpause.cpp: the same heap, the same line.
//
//	gcpause [small]      (small: 10 trees, 10 MiB)
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
	"unsafe"
)

type node struct {
	left, right  *node
	depth, check int64
}

const depth = 14 // 2^15 - 1 nodes, 1 MiB, per tree

func build(d int64) *node {
	n := &node{depth: d, check: ^d}
	if d > 0 {
		n.left = build(d - 1)
		n.right = build(d - 1)
	}
	return n
}

func walk(n *node, d int64) int64 {
	if n.depth != d || n.check != ^d {
		fmt.Fprintf(os.Stderr, "gcpause: a node's depth: got %d, want %d\n", n.depth, d)
		os.Exit(2)
	}
	if d == 0 {
		return 1
	}
	return 1 + walk(n.left, d-1) + walk(n.right, d-1)
}

func tenths(a, b int64) string {
	t := a * 10 / b
	return fmt.Sprintf("%d.%d", t/10, t%10)
}

func main() {
	if unsafe.Sizeof(node{}) != 32 {
		panic("node is not 32 bytes")
	}
	trees := int64(1024)
	if len(os.Args) > 1 && os.Args[1] == "small" {
		trees = 10
	}
	perTree := int64(1)<<(depth+1) - 1
	debug.SetGCPercent(-1)

	roots := make([]*node, trees)
	procs := runtime.GOMAXPROCS(0)
	var built sync.WaitGroup
	built.Add(procs)
	for p := 0; p < procs; p++ {
		go func(p int) {
			for t := int64(p); t < trees; t += int64(procs) {
				roots[t] = build(depth)
			}
			built.Done()
		}(p)
	}
	built.Wait()

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	runtime.GC()
	ns := time.Since(t0).Nanoseconds()
	runtime.ReadMemStats(&after)
	if after.NumGC != before.NumGC+1 {
		fmt.Fprintf(os.Stderr, "gcpause: cycles in gc(): got %d, want 1\n", after.NumGC-before.NumGC)
		os.Exit(2)
	}
	pause := int64(after.PauseNs[(after.NumGC+255)%256])

	var objects int64
	for _, r := range roots {
		objects += walk(r, depth)
	}
	if objects != trees*perTree {
		fmt.Fprintf(os.Stderr, "gcpause: nodes: got %d, want %d\n", objects, trees*perTree)
		os.Exit(2)
	}
	liveMB := (objects*int64(unsafe.Sizeof(node{})) + 1<<19) >> 20
	heapMB := int64(after.HeapAlloc+1<<19) >> 20
	if heapMB < liveMB {
		fmt.Fprintf(os.Stderr, "gcpause: MiB kept by the cycle: got %d, want %d\n", heapMB, liveMB)
		os.Exit(2)
	}
	fmt.Printf("gcpause live_mb=%d objects=%d pause_us=%s gc_ms=%s mark_mb_per_s_per_p=%s heap_mb=%d\n",
		liveMB, objects, tenths(pause, 1000), tenths(ns, 1000000), tenths(liveMB*1000000000, ns*int64(procs)),
		heapMB)
}
