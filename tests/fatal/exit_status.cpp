// tests/fatal/exit_status.cpp — the process exits with main's status, after
// static destructors run.
#include <gort/gort.h>

namespace {
struct Bye {
  ~Bye() { gort::println("destructor ran"); }
};
Bye bye;
}  // namespace

int main(int argc, char**) {
  gort::println("main returns ", argc + 40);
  return argc + 40;
}
