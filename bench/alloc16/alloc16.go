// The Go twin of bench/alloc16/alloc16.cpp.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

type pair struct{ a, b int64 }

const n = 10000000

var sink *pair

func work(k int) {
	for i := 0; i < k; i++ {
		sink = new(pair)
	}
}

func run(threads int) {
	runtime.GOMAXPROCS(threads)
	t0 := time.Now()
	var wg sync.WaitGroup
	for i := 1; i < threads; i++ {
		wg.Add(1)
		go func() { work(n / threads); wg.Done() }()
	}
	work(n / threads)
	wg.Wait()
	ns := time.Since(t0).Nanoseconds()
	tenths := ns * 10 / n
	fmt.Printf("alloc16 threads=%d n=%d ns/op=%d.%d\n", threads, n, tenths/10, tenths%10)
}

func main() {
	run(1)
	run(2)
}
