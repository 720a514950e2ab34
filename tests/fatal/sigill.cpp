// tests/fatal/sigill.cpp — an illegal instruction that is not async
// preemption's trap return is Go's fatal report: the signal, the pc, the
// goroutine, exit 2 (runtime/preempt.cpp's SIGILL handler checks the pc).
#include <gort/gort.h>

extern "C" __attribute__((noinline)) void bad_instruction() {
#if defined(__x86_64__)
  asm volatile("ud2");
#elif defined(__aarch64__)
  asm volatile("udf #1");
#elif defined(__s390x__)
  asm volatile(".hword 0");  // opcode 0x00: an operation exception
#elif defined(__powerpc64__)
  asm volatile(".long 0x00000001");  // primary opcode 0: illegal
#else
  asm volatile("unimp");
#endif
}

int main(int, char**) {
  bad_instruction();
  gort::println("survived an illegal instruction");
  return 0;
}
