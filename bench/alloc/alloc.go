// The Go twin of bench/alloc/alloc.cpp.
package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

var sink []int

func one(n int) {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	sink = make([]int, n)
	runtime.ReadMemStats(&b)
	fmt.Printf("make([]int,%d) bytes=%d\n", n, b.TotalAlloc-a.TotalAlloc)
}

func main() {
	// A GC cycle started by the large allocations allocates for itself;
	// keep it out of the count, as gort (no GC yet) has nothing of the kind.
	debug.SetGCPercent(-1)
	for _, n := range []int{1024, 1025, 1048576, 1048577} {
		one(n)
	}
}
