// examples/squares — a goroutine sends over a channel, main ranges over it
// (the README's example).
#include <gort/gort.h>

int main(int, char**) {
  auto squares = gort::make_chan<int64_t>();  // Go's make(chan int64)
  gort::go([squares]() mutable {              // Go's go statement
    for (int64_t i = 1; i <= 3; i++) squares.send(i * i);
    squares.close();
  });
  for (int64_t v : squares) gort::println(v);  // for v := range squares
  return 0;
}
