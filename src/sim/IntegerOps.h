// Integer semantics shared by the scalar and vector engines: RISC-V division (no traps) and
// the high half of products at every element width.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

namespace oxptx::sim {

// RISC-V division never traps: x/0 = -1, x%0 = x, INT_MIN/-1 = INT_MIN, INT_MIN%-1 = 0.
template <typename S> S divSigned(S a, S b) {
  if (b == 0)
    return -1;
  if (a == std::numeric_limits<S>::min() && b == -1)
    return a;
  return S(a / b);
}
template <typename S> S remSigned(S a, S b) {
  if (b == 0)
    return a;
  if (a == std::numeric_limits<S>::min() && b == -1)
    return 0;
  return S(a % b);
}
template <typename U> U divUnsigned(U a, U b) { return b == 0 ? U(~U(0)) : U(a / b); }
template <typename U> U remUnsigned(U a, U b) { return b == 0 ? a : U(a % b); }

/// The unsigned type twice as wide as U (unsigned __int128 for 64 bits).
template <typename U> struct Wider;
template <> struct Wider<uint8_t> { using type = uint16_t; };
template <> struct Wider<uint16_t> { using type = uint32_t; };
template <> struct Wider<uint32_t> { using type = uint64_t; };
template <> struct Wider<uint64_t> { using type = unsigned __int128; };
template <typename U> using WiderT = typename Wider<U>::type;

/// std::make_signed, extended to unsigned __int128 (which strict C++20 leaves out).
template <typename U> struct SignedOf { using type = std::make_signed_t<U>; };
template <> struct SignedOf<unsigned __int128> { using type = __int128; };
template <typename U> using SignedT = typename SignedOf<U>::type;
template <typename U> using WiderSignedT = SignedT<WiderT<U>>;

/// High halves of the 2*width products: unsigned x unsigned, signed x signed, signed x unsigned.
template <typename U> U mulhu(U a, U b) { return U(WiderT<U>(a) * WiderT<U>(b) >> (8 * sizeof(U))); }
template <typename U> U mulh(U a, U b) {
  using S = SignedT<U>;
  using W = WiderSignedT<U>;
  return U(W(S(a)) * W(S(b)) >> (8 * sizeof(U)));
}
template <typename U> U mulhsu(U a, U b) {
  using S = SignedT<U>;
  using W = WiderSignedT<U>;
  return U(W(S(a)) * W(b) >> (8 * sizeof(U)));
}

} // namespace oxptx::sim
