// tests/build/big_temporary.cpp — a 64 KiB temporary (a struct returned and
// passed by value): a fixed frame no stack probe of this port covers, which
// the build must refuse (docs/ARCHITECTURE.md, "Goroutine stacks"). Compiled,
// never run, by tests/meson.build on the ports whose flags carry a frame limit.
struct Big {
  char b[65536];
};
Big make_big();
int use_big(Big);
int sret() { return use_big(make_big()); }
