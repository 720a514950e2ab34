// <gort/chan.h> — Go's channels and select (included by <gort/gort.h>).
//
// Chan<T> is a handle, like a Go channel value: copies name the same
// channel, a default-constructed one is nil. T is any movable,
// default-constructible type; T{} is the zero value a receive from a closed
// channel gives. Each value sent is move-constructed into the channel (or
// straight into a waiting receiver) and destroyed exactly once. Semantics,
// blocking and panics are Go's: docs/ARCHITECTURE.md, "Channels and select".
// T's constructors, move assignment and destructor may run with the
// channel's runtime lock held: they must not use channels or block (a
// goroutine that parks or yields there is stopped with the fatal error
// "schedule: holding locks", as its lock would stall every other user).
#pragma once

#include "gort.h"

namespace gort {

namespace detail {

// What the type-erased runtime knows of an element type. move constructs
// *dst from *src and leaves *src to its owner; destroy ends a value; zero
// default-constructs one. trivial: move is a byte copy and destroy nothing.
struct ChanType {
  size_t size;
  size_t align;
  bool trivial;
  void (*move)(void* dst, void* src);
  void (*destroy)(void* p);
  void (*zero)(void* p);
};

template <typename T>
inline constexpr ChanType chantype_of = {
    sizeof(T),
    alignof(T),
    is_trivially_copyable_v<T>,
    [](void* d, void* s) { new (d) T(static_cast<T&&>(*static_cast<T*>(s))); },
    [](void* p) { static_cast<T*>(p)->~T(); },
    [](void* p) { new (p) T{}; },
};

struct hchan;  // runtime/chan.h

// The runtime's entry points (runtime/chan.cpp, select.cpp). A send's ep is a
// live value the runtime moves from (only if it returns true); a receive's
// ep is raw storage the runtime constructs a value in (a null ep discards).
hchan* makechan(const ChanType* t, int64_t size);
bool chansend(hchan* c, void* ep, bool block);
// Returns whether it was selected (always when blocking); *received: a
// value came (false: closed, and ep holds the zero value).
bool chanrecv(hchan* c, void* ep, bool block, bool* received);
void closechan(hchan* c);
int64_t chanlen(const hchan* c);
int64_t chancap(const hchan* c);

// One case of a select, type-erased (Go's scase). elem: as for chansend /
// chanrecv; send: which of them.
struct SelCase {
  hchan* c;
  void* elem;
  bool send;
};
// Go's selectgo: returns the chosen case's index, or -1 (only when !block)
// for the default; *recv_ok as chanrecv's *received for a receive.
int selectgo(SelCase* cases, int n, bool block, bool* recv_ok);

// Raw storage for one T (what a receive constructs into).
template <typename T>
union Slot {
  Slot() {}
  ~Slot() {}
  T v;
};

}  // namespace detail

template <typename T>
class Chan {
 public:
  Chan() = default;  // nil
  Chan(const Chan&) = default;
  Chan& operator=(const Chan&) = default;

  // Blocks until a receiver takes v or the buffer has room. Panics (Go's
  // "send on closed channel") if the channel is or becomes closed; a nil
  // channel blocks forever.
  void send(T v) { detail::chansend(c_, &v, true); }
  // Blocks for a value; T{} once the channel is closed and drained.
  T recv() { return recv(nullptr); }
  // The same; *ok (if given) is false when the zero value came of a close.
  T recv(bool* ok) {
    detail::Slot<T> s;
    bool got;
    detail::chanrecv(c_, &s.v, true, &got);
    if (ok) *ok = got;
    T r(static_cast<T&&>(s.v));
    s.v.~T();
    return r;
  }
  // Sends without blocking (Go's select with a default): true if sent. v is
  // moved from only when sent, so a failed try leaves it intact.
  bool try_send(T&& v) { return detail::chansend(c_, &v, false); }
  bool try_send(const T& v) {  // copies v first, sent or not
    T copy(v);
    return detail::chansend(c_, &copy, false);
  }
  // Receives without blocking. True when a value or a close was received:
  // then *out (if given) is move-assigned the value (T{} for a close) and
  // *ok (if given) says which. False: nothing ready, *out and *ok untouched.
  bool try_recv(T* out, bool* ok = nullptr) {
    detail::Slot<T> s;
    bool got;
    if (!detail::chanrecv(c_, &s.v, false, &got)) return false;
    if (out) *out = static_cast<T&&>(s.v);
    s.v.~T();
    if (ok) *ok = got;
    return true;
  }
  // Go's close: waiting receivers get T{} (ok false), waiting senders
  // panic. Panics on a nil or already closed channel.
  void close() { detail::closechan(c_); }
  int64_t len() const { return detail::chanlen(c_); }  // values buffered (0 for nil)
  int64_t cap() const { return detail::chancap(c_); }  // buffer size (0 for nil)

  bool operator==(const Chan& o) const { return c_ == o.c_; }
  bool operator!=(const Chan& o) const { return c_ != o.c_; }
  explicit operator bool() const { return c_ != nullptr; }

  // for (T v : ch): receives until the channel is closed and drained (Go's
  // range over a channel).
  class iterator {
   public:
    explicit iterator(detail::hchan* c) : c_(c) { next(); }
    iterator() = default;
    T&& operator*() { return static_cast<T&&>(v_); }  // for (T v : ch) moves
    iterator& operator++() {
      next();
      return *this;
    }
    bool operator!=(const iterator& o) const { return c_ != o.c_; }

   private:
    void next() {
      if (!c_) return;
      detail::Slot<T> s;
      bool got;
      detail::chanrecv(c_, &s.v, true, &got);
      if (got) v_ = static_cast<T&&>(s.v);
      s.v.~T();
      if (!got) c_ = nullptr;
    }
    detail::hchan* c_ = nullptr;
    T v_{};
  };
  iterator begin() const { return iterator(c_); }
  iterator end() const { return iterator(); }

  detail::hchan* raw() const { return c_; }  // for select
  explicit Chan(detail::hchan* c) : c_(c) {}

 private:
  detail::hchan* c_ = nullptr;
};

// Go's make(chan T, cap). cap < 0 panics "makechan: size out of range".
template <typename T>
Chan<T> make_chan(int64_t cap = 0) {
  return Chan<T>(detail::makechan(&detail::chantype_of<T>, cap));
}

// ---- select. gort::select(on_recv(a, &v, &ok), on_send(b, x), on_default())
// is Go's select statement: it returns the index (argument order) of the
// case that ran. Ready cases are chosen uniformly at random; without a
// default it blocks until one is ready; a nil channel's case is never
// ready; with no case at all it blocks forever. A send case chosen on a
// closed channel panics "send on closed channel".

template <typename T>
struct RecvCase {
  Chan<T> ch;
  T* out;
  bool* ok;
  detail::Slot<T> slot;
  detail::SelCase erase() { return {ch.raw(), &slot.v, false}; }
  // Only the chosen case's slot holds a value.
  void finish(bool chosen, bool got) {
    if (!chosen) return;
    if (out) *out = static_cast<T&&>(slot.v);
    slot.v.~T();
    if (ok) *ok = got;
  }
};
template <typename T>
struct SendCase {
  Chan<T> ch;
  T value;  // moved from only if this case is chosen
  detail::SelCase erase() { return {ch.raw(), &value, true}; }
  void finish(bool, bool) {}
};
struct DefaultCase {};

// *out (if given) is move-assigned the value received (T{} when the case
// ran because the channel is closed); *ok (if given) says which.
template <typename T>
RecvCase<T> on_recv(Chan<T> ch, T* out = nullptr, bool* ok = nullptr) {
  return RecvCase<T>{ch, out, ok, {}};
}
template <typename T>
SendCase<T> on_send(Chan<T> ch, T value) {
  return SendCase<T>{ch, static_cast<T&&>(value)};
}
inline DefaultCase on_default() { return {}; }

namespace detail {
template <typename T>
struct remove_cvref {
  using type = T;
};
template <typename T>
struct remove_cvref<T&> : remove_cvref<T> {};
template <typename T>
struct remove_cvref<T&&> : remove_cvref<T> {};
template <typename T>
struct remove_cvref<const T> : remove_cvref<T> {};
template <typename T>
using remove_cvref_t = typename remove_cvref<T>::type;
template <typename C>
inline constexpr bool is_default_case = is_same_v<C, DefaultCase>;
}  // namespace detail

namespace detail {
template <int ndefault, typename... Cases>
int select_cases(Cases&&... cases) {
  constexpr int n = sizeof...(Cases);
  // Type-erased cases, default excluded; at[i]: argument index of erased case i.
  SelCase sc[n];
  int at[n] = {};
  int ne = 0, arg = 0, defat = -1;
  auto add = [&](auto& c) {
    if constexpr (is_default_case<remove_cvref_t<decltype(c)>>) {
      defat = arg;
    } else {
      sc[ne] = c.erase();
      at[ne++] = arg;
    }
    arg++;
  };
  (add(cases), ...);
  bool got = false;
  int k = selectgo(sc, ne, ndefault == 0, &got);
  int chosen = k < 0 ? defat : at[k];
  arg = 0;
  auto fin = [&](auto& c) {
    if constexpr (!is_default_case<remove_cvref_t<decltype(c)>>) c.finish(arg == chosen, got);
    arg++;
  };
  (fin(cases), ...);
  return chosen;
}
}  // namespace detail

template <typename... Cases>
int select(Cases&&... cases) {
  constexpr int ndefault = (0 + ... + int(detail::is_default_case<detail::remove_cvref_t<Cases>>));
  static_assert(ndefault <= 1, "select: more than one default case");
  if constexpr (sizeof...(Cases) == 0) {  // Go's select {}: blocks forever
    bool got;
    return detail::selectgo(nullptr, 0, true, &got);
  } else {
    return detail::select_cases<ndefault>(static_cast<Cases&&>(cases)...);
  }
}

// A select whose cases are known only at run time: add cases, then call
// select() once. Indexes count every add call (default included) from 0.
class Select {
 public:
  Select() = default;
  ~Select();
  Select(const Select&) = delete;
  Select& operator=(const Select&) = delete;

  // As on_recv: *out move-assigned, *ok set, only if this case runs.
  template <typename T>
  int recv(Chan<T> ch, T* out = nullptr, bool* ok = nullptr) {
    return add(ch.raw(), &detail::chantype_of<T>, false, out, ok, nullptr, &assign<T>);
  }
  // value is moved into the Select, and sent only if this case runs.
  template <typename T>
  int send(Chan<T> ch, T value) {
    return add(ch.raw(), &detail::chantype_of<T>, true, nullptr, nullptr, &value, nullptr);
  }
  int on_default();
  // Runs the select: the index of the case that ran. Once per Select (a
  // second call is a fatal error).
  int select();

 private:
  template <typename T>
  static void assign(void* dst, void* src) {
    *static_cast<T*>(dst) = static_cast<T&&>(*static_cast<T*>(src));
  }
  struct Case;
  int add(detail::hchan* c, const detail::ChanType* t, bool send, void* out, bool* ok, void* value,
          void (*assign)(void*, void*));
  Case* cases_ = nullptr;
  int n_ = 0, capn_ = 0, default_ = -1;
  bool done_ = false;
};

}  // namespace gort
