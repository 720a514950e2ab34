// The Go twin of bench/garbage/garbage.cpp: the same churn, the same line.
//
//	garbage [small]      (small: n and the live heap / 100)
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"
	"unsafe"
)

type obj struct {
	table              []*obj // a pointer for the marker to follow (to a live table)
	stamp, check, slot int64
	pad                [2]int64
}

const goroutines = 8

func fresh(table []*obj, slot, stamp int64) *obj {
	return &obj{table: table, stamp: stamp, check: ^stamp, slot: slot}
}

func main() {
	if unsafe.Sizeof(obj{}) != 64 {
		panic("obj is not 64 bytes")
	}
	scale := int64(1)
	if len(os.Args) > 1 && os.Args[1] == "small" {
		scale = 100
	}
	live := int64(32<<20) / scale
	slots := live / 64 / goroutines // per goroutine
	n := 16000000 / scale

	tables := make([][]*obj, goroutines)
	var filled sync.WaitGroup
	filled.Add(goroutines)
	for g := 0; g < goroutines; g++ {
		go func(g int) {
			t := make([]*obj, slots)
			for s := range t {
				t[s] = fresh(t, int64(s), int64(s))
			}
			tables[g] = t
			filled.Done()
		}(g)
	}
	filled.Wait()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	var done sync.WaitGroup
	done.Add(goroutines)
	for g := 0; g < goroutines; g++ {
		go func(g int) {
			t := tables[g]
			x := 0x9e3779b97f4a7c15 * uint64(g+1) // xorshift64 state
			for i := int64(0); i < n/goroutines; i++ {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
				s := int64(x % uint64(slots))
				t[s] = fresh(t, s, int64(g)<<40|i)
			}
			done.Done()
		}(g)
	}
	done.Wait()
	ns := time.Since(t0).Nanoseconds()
	runtime.ReadMemStats(&after)

	for _, t := range tables {
		for s, o := range t {
			if &o.table[0] != &t[0] || o.slot != int64(s) || o.check != ^o.stamp {
				fmt.Fprintf(os.Stderr, "garbage: a live object's slot: got %d, want %d\n", o.slot, s)
				os.Exit(2)
			}
		}
	}
	gcs := after.NumGC - before.NumGC
	var max uint64
	for k := uint32(0); k < gcs && k < 256; k++ {
		if p := after.PauseNs[(after.NumGC-k+255)%256]; p > max {
			max = p
		}
	}
	pt, at := max*10/1000, ns*10/n
	fmt.Printf("garbage goroutines=%d live_kb=%d n=%d ns_per_alloc=%d.%d gcs=%d maxpause_us=%d.%d\n",
		goroutines, live>>10, n, at/10, at%10, gcs, pt/10, pt%10)
}
