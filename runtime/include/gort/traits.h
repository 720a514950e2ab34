// <gort/traits.h> — the few type traits gort needs, so that no C++ standard
// library headers are required (clang cross-compiling for FreeBSD or Darwin has
// no sysroot to find them in).
#pragma once

namespace gort {

template <typename T, typename U>
inline constexpr bool is_same_v = false;
template <typename T>
inline constexpr bool is_same_v<T, T> = true;

template <typename T>
inline constexpr bool is_pointer_v = false;
template <typename T>
inline constexpr bool is_pointer_v<T*> = true;

template <typename T>
inline constexpr bool is_integral_v =
    is_same_v<T, bool> || is_same_v<T, char> || is_same_v<T, signed char> ||
    is_same_v<T, unsigned char> || is_same_v<T, short> || is_same_v<T, unsigned short> ||
    is_same_v<T, int> || is_same_v<T, unsigned> || is_same_v<T, long> ||
    is_same_v<T, unsigned long> || is_same_v<T, long long> || is_same_v<T, unsigned long long> ||
    is_same_v<T, char8_t> || is_same_v<T, char16_t> || is_same_v<T, char32_t> ||
    is_same_v<T, wchar_t>;

template <typename T>
inline constexpr bool is_arithmetic_v =
    is_integral_v<T> || is_same_v<T, float> || is_same_v<T, double> || is_same_v<T, long double>;

template <typename T>
inline constexpr bool is_signed_v = is_integral_v<T>&& T(-1) < T(0);

template <typename T>
inline constexpr bool is_trivially_copyable_v = __is_trivially_copyable(T);

}  // namespace gort
