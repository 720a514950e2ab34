# ci/ports.sh — sourced by ci/test and ci/matrix: the port list and how to
# configure and build one port. Build directories live under $OUT/<port>.
OUT=${GORT_OUT:-out}
PORTS=(linux-amd64 linux-arm64 linux-riscv64 freebsd-amd64 freebsd-arm64 freebsd-riscv64
       darwin-amd64 darwin-arm64)

# Ports whose binaries run on this machine (natively or under QEMU).
runnable() { [[ $1 == linux-* ]]; }

# Configures $OUT/<port> (linux-amd64 is the native build; every other port
# uses its cross file) and builds it. Output goes to $OUT/<port>.log.
build_port() {
  local port=$1 dir=$OUT/$1 cross=()
  [[ $port == linux-amd64 ]] || cross=(--cross-file "ci/cross/$port.ini")
  mkdir -p "$OUT"
  {
    if [[ -f $dir/build.ninja ]]; then
      meson setup --reconfigure "$dir" "${cross[@]}"
    else
      meson setup "$dir" "${cross[@]}"
    fi && ninja -C "$dir"
  } >"$OUT/$port.log" 2>&1
}
