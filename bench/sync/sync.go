// The Go twin of bench/sync/sync.cpp.
//
//	sync [small]
//
// mutex: 4 goroutines per P share one Mutex, n lock/unlock pairs in all,
// each guarding an increment; ns/op is wall time over n. "small" divides n
// by 100.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"
)

func main() {
	n := int64(10000000)
	if len(os.Args) > 1 && os.Args[1] == "small" {
		n /= 100
	}
	g := int64(4 * runtime.GOMAXPROCS(0))
	var mu sync.Mutex
	var wg sync.WaitGroup
	var count int64
	wg.Add(int(g))
	t0 := time.Now()
	for i := int64(0); i < g; i++ {
		go func(k int64) {
			for ; k > 0; k-- {
				mu.Lock()
				count++
				mu.Unlock()
			}
			wg.Done()
		}((i+1)*n/g - i*n/g)
	}
	wg.Wait()
	ns := time.Since(t0).Nanoseconds()
	if count != n {
		fmt.Fprintf(os.Stderr, "mutex count: got %d, want %d\n", count, n)
		os.Exit(2)
	}
	t := ns * 10 / n
	fmt.Printf("mutex goroutines=%d n=%d count=%d ns/op=%d.%d\n", g, n, count, t/10, t%10)
}
