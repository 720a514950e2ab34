// runtime/symtab.h — program counters to function names, from the program's
// own symbol table (Go's findfunc, minus Go's pclntab): ELF's .symtab, read
// from the executable file the kernel names in the auxiliary vector, or the
// Mach-O LC_SYMTAB, which dyld maps with __LINKEDIT.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace gort {

// The function containing pc: its name (not demangled) and pc's offset into
// it. False if the symbol table is unavailable (e.g. stripped) or no
// function holds pc. Loads the table on first use; not async-signal-safe on
// that first call, but needs no locks or heap.
bool funcname(uintptr_t pc, const char** name, uintptr_t* off);

}  // namespace gort
