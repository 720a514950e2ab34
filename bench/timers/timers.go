// The Go twin of bench/timers/timers.cpp.
//
//	timers [small]
//
// 100k goroutines each sleep 1 ms 10 times; ms is the wall time until all
// are done (bench/run adds the process's CPU time, user+sys). "small" runs
// 1k goroutines.
package main

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	g := int64(100000)
	if len(os.Args) > 1 && os.Args[1] == "small" {
		g /= 100
	}
	const sleeps = 10
	var wg sync.WaitGroup
	var wakeups atomic.Int64
	wg.Add(int(g))
	t0 := time.Now()
	for i := int64(0); i < g; i++ {
		go func() {
			for k := 0; k < sleeps; k++ {
				time.Sleep(time.Millisecond)
				wakeups.Add(1)
			}
			wg.Done()
		}()
	}
	wg.Wait()
	ns := time.Since(t0).Nanoseconds()
	// Sleeps last at least their duration: ten in a row take 10 ms or more.
	if wakeups.Load() != g*sleeps || ns < sleeps*int64(time.Millisecond) {
		fmt.Fprintf(os.Stderr, "timers: %d wakeups in %d ns, want %d in 10 ms or more\n", wakeups.Load(), ns, g*sleeps)
		os.Exit(2)
	}
	t := ns / 100000
	fmt.Printf("timers goroutines=%d sleeps=%d wakeups=%d ms=%d.%d\n", g, sleeps, wakeups.Load(), t/10, t%10)
}
