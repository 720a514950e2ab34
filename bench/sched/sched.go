// The Go twin of bench/sched/sched.cpp: the same benchmarks, the same lines.
//
//	sched [small] [spawn|ctxswitch|parked]...
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

var scale int64 = 1

func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * 4096
}

func printNs(what string, n int64, unit string, ns int64) {
	tenths := ns * 10 / n
	fmt.Printf("%s n=%d %s=%d.%d\n", what, n, unit, tenths/10, tenths%10)
}

func spawn() {
	n := 1000000 / scale
	var wg sync.WaitGroup
	wg.Add(int(n))
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		go func() { wg.Done() }()
	}
	wg.Wait()
	printNs("spawn", n, "ns/goroutine", time.Since(t0).Nanoseconds())
}

func ctxswitch() {
	n := 1000000 / scale
	var wg sync.WaitGroup
	wg.Add(2)
	t0 := time.Now()
	for k := 0; k < 2; k++ {
		go func() {
			for i := int64(0); i < n; i++ {
				runtime.Gosched()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	printNs("ctxswitch", 2*n, "ns/switch", time.Since(t0).Nanoseconds())
}

func parked() {
	n := 100000 / scale
	before := rss()
	var all sync.WaitGroup
	all.Add(int(n))
	block := make(chan struct{})
	for i := int64(0); i < n; i++ {
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
	var names []string
	for _, a := range os.Args[1:] {
		if a == "small" {
			scale = 100
		} else {
			names = append(names, a)
		}
	}
	benches := []struct {
		name string
		f    func()
	}{{"spawn", spawn}, {"ctxswitch", ctxswitch}, {"parked", parked}}
	for _, b := range benches {
		run := len(names) == 0
		for _, n := range names {
			run = run || n == b.name
		}
		if run {
			b.f()
		}
	}
}
