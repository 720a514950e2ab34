// tests/unit/main.cpp — Catch2 (v2) runner for the hosted unit tests of the
// runtime's portable code.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <catch2/catch_reporter_tap.hpp>
