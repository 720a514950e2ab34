// Catch2 (v2) runner for gort-sim's unit tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <catch2/catch_reporter_tap.hpp>

#include "../sim.h"

// A simulator Fatal is shown with its message.
CATCH_TRANSLATE_EXCEPTION(const sim::Fatal& f) { return f.what; }
