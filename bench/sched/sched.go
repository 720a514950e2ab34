// The Go twin of bench/sched/sched.cpp. Run with GOMAXPROCS=1 for ctxswitch,
// as bench/run does for both sides.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * 4096
}

func printNs(what string, n int64, ns int64) {
	tenths := ns * 10 / n
	fmt.Printf("%s n=%d ns/op=%d.%d\n", what, n, tenths/10, tenths%10)
}

func spawn() {
	const n = 1000000
	var wg sync.WaitGroup
	wg.Add(n)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		go func() { wg.Done() }()
	}
	wg.Wait()
	printNs("spawn", n, time.Since(t0).Nanoseconds())
}

func ctxswitch() {
	const n = 1000000
	var wg sync.WaitGroup
	wg.Add(2)
	t0 := time.Now()
	for k := 0; k < 2; k++ {
		go func() {
			for i := 0; i < n; i++ {
				runtime.Gosched()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	printNs("ctxswitch", 2*n, time.Since(t0).Nanoseconds())
}

func parked() {
	const n = 100000
	before := rss()
	var all sync.WaitGroup
	all.Add(n)
	block := make(chan struct{})
	for i := 0; i < n; i++ {
		go func() {
			all.Done()
			<-block
		}()
	}
	all.Wait()
	time.Sleep(10 * time.Millisecond) // let the last ones block
	fmt.Printf("parked n=%d bytes/goroutine=%d\n", n, (rss()-before)/n)
}

func main() {
	spawn()
	ctxswitch()
	parked()
}
