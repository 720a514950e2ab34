// The Go twin of bench/alloc16/alloc16.cpp.
//
//	alloc16 [small]      (small: 100k allocations)
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"
)

type pair struct{ a, b int64 }

var n = 10000000

var sink *pair

func work(k int) {
	for i := 0; i < k; i++ {
		sink = new(pair)
	}
}

func run(threads int) {
	runtime.GOMAXPROCS(threads)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	var wg sync.WaitGroup
	for i := 1; i < threads; i++ {
		wg.Add(1)
		go func() { work(n / threads); wg.Done() }()
	}
	work(n / threads)
	wg.Wait()
	ns := time.Since(t0).Nanoseconds()
	runtime.ReadMemStats(&after)
	tenths := ns * 10 / int64(n)
	fmt.Printf("alloc16 threads=%d n=%d ns/op=%d.%d gcs=%d\n", threads, n, tenths/10, tenths%10, after.NumGC-before.NumGC)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "small" {
		n /= 100
	}
	run(1)
	run(2)
}
