// tests/fatal/exit_hooks.cpp — static destructors have no fixed limit: 200
// static objects and 1000 hooks registered through __cxa_atexit (the C++
// ABI's registration, which the compiler emits for each static object) all
// run after main, newest first.
#include <gort/gort.h>

extern "C" int __cxa_atexit(void (*fn)(void*), void* arg, void* dso);

namespace {
constexpr int kHooks = 1000, kObjects = 200;
int next_hook = kHooks - 1;
int hooks_ran, objects_destroyed;
bool hooks_in_order = true;

void hook(void* arg) {
  int i = int(reinterpret_cast<intptr_t>(arg));
  if (i != next_hook--) hooks_in_order = false;
  if (++hooks_ran == kHooks)
    gort::println(hooks_ran, " exit hooks ran", hooks_in_order ? " newest first" : " out of order");
}

// Constructed before every other static object here, so destroyed last.
struct First {
  ~First() {
    gort::println(objects_destroyed,
                  " static objects destroyed, then the first one; hooks before: ", hooks_ran);
  }
};
__attribute__((init_priority(101))) First first;

template <int N>
struct Obj {
  int n = N;
  ~Obj() {
    if (n == N) objects_destroyed++;
  }
};
template <int N>
Obj<N> obj;
// Instantiates obj<1> .. obj<N>, each a static object with a destructor.
template <int N>
struct Touch {
  static int count() { return obj<N>.n == N ? 1 + Touch<N - 1>::count() : 0; }
};
template <>
struct Touch<0> {
  static int count() { return 0; }
};
}  // namespace

int main(int, char**) {
  int objects = Touch<kObjects>::count();
  for (int i = 0; i < kHooks; i++)
    __cxa_atexit(hook, reinterpret_cast<void*>(intptr_t(i)), nullptr);
  gort::println("main returns with ", objects, " static objects");
  return 0;
}
