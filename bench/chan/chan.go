// The Go twin of bench/chan/chan.cpp: the same benchmarks, the same lines.
//
//	chan [small] [pingpong|skynet|chanbuf|select]...
//
// No names runs all four; "small" divides every n by 100 (a quick check).
package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

var scale int64 = 1

func fail(what string, got, want int64) {
	fmt.Fprintf(os.Stderr, "%s: got %d, want %d\n", what, got, want)
	os.Exit(2)
}

// tenths prints a/b with one decimal, as the gort side does.
func tenths(a, b int64) string {
	t := a * 10 / b
	return fmt.Sprintf("%d.%d", t/10, t%10)
}

// pingpong: n round trips; main sends i on ping, the echo goroutine answers
// i+1 on pong.
func pingpong() {
	n := 1000000 / scale
	ping, pong := make(chan int64), make(chan int64)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
	}()
	var sum int64
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		ping <- i
		sum += <-pong
	}
	ns := time.Since(t0).Nanoseconds()
	close(ping)
	if sum != n*(n+1)/2 {
		fail("pingpong sum", sum, n*(n+1)/2)
	}
	fmt.Printf("pingpong n=%d sum=%d ns/roundtrip=%s\n", n, sum, tenths(ns, n))
}

// skynet: a tree of goroutines, 10 children each, size leaves; a leaf sends
// its number, a parent the sum of its children's.
func skynet(c chan int64, num, size, div int64) {
	if size == 1 {
		c <- num
		return
	}
	rc := make(chan int64)
	for i := int64(0); i < div; i++ {
		go skynet(rc, num+i*(size/div), size/div, div)
	}
	var sum int64
	for i := int64(0); i < div; i++ {
		sum += <-rc
	}
	c <- sum
}

func skynetBench() {
	size := 1000000 / scale
	c := make(chan int64)
	t0 := time.Now()
	go skynet(c, 0, size, 10)
	result := <-c
	ns := time.Since(t0).Nanoseconds()
	if result != size*(size-1)/2 {
		fail("skynet result", result, size*(size-1)/2)
	}
	fmt.Printf("skynet size=%d div=10 result=%d ms=%s\n", size, result, tenths(ns, 1000000))
}

// chanbuf: 4 producers send n ints (0..n-1 between them) into one channel
// of capacity 128; 4 consumers drain it until it is closed.
func chanbuf() {
	const producers, consumers = 4, 4
	n := 10000000 / scale
	ch := make(chan int64, 128)
	sums := make(chan int64, consumers)
	var wg sync.WaitGroup
	wg.Add(producers)
	t0 := time.Now()
	for p := int64(0); p < producers; p++ {
		go func(lo, hi int64) {
			for v := lo; v < hi; v++ {
				ch <- v
			}
			wg.Done()
		}(p*n/producers, (p+1)*n/producers)
	}
	for c := 0; c < consumers; c++ {
		go func() {
			var s int64
			for v := range ch {
				s += v
			}
			sums <- s
		}()
	}
	wg.Wait()
	close(ch)
	var sum int64
	for c := 0; c < consumers; c++ {
		sum += <-sums
	}
	ns := time.Since(t0).Nanoseconds()
	if sum != n*(n-1)/2 {
		fail("chanbuf sum", sum, n*(n-1)/2)
	}
	fmt.Printf("chanbuf producers=%d consumers=%d cap=128 n=%d sum=%d ns/int=%s\n",
		producers, consumers, n, sum, tenths(ns, n))
}

// select: a sender sends i on c[i%4] (unbuffered), so one case at a time
// is ready, in turn; the loop selects over the four receives.
func selectBench() {
	n := 1000000 / scale
	var c [4]chan int64
	for i := range c {
		c[i] = make(chan int64)
	}
	go func() {
		for i := int64(0); i < n; i++ {
			c[i%4] <- i
		}
	}()
	var sum int64
	var hits [4]int64
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		var v int64
		select {
		case v = <-c[0]:
			hits[0]++
		case v = <-c[1]:
			hits[1]++
		case v = <-c[2]:
			hits[2]++
		case v = <-c[3]:
			hits[3]++
		}
		sum += v
	}
	ns := time.Since(t0).Nanoseconds()
	for i := range hits {
		if hits[i] != n/4 {
			fail("select hits of one case", hits[i], n/4)
		}
	}
	if sum != n*(n-1)/2 {
		fail("select sum", sum, n*(n-1)/2)
	}
	fmt.Printf("select cases=4 n=%d sum=%d ns/op=%s\n", n, sum, tenths(ns, n))
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
	}{{"pingpong", pingpong}, {"skynet", skynetBench}, {"chanbuf", chanbuf}, {"select", selectBench}}
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
