// tests/verify/badsys.cpp — a FreeBSD program with one wrong syscall number
// (8, FreeBSD's long-retired creat). gort-verify must reject it.
#include GORT_SYS_H

#include <gort/gort.h>  // gives main its C name under clang

#include "rawsyscall.h"

int main(int, char**) { return int(gort::sys::syscall<8>("/tmp/x", 0644)); }
