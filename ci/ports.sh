# ci/ports.sh — sourced by ci/test and ci/matrix: the port list and how to
# configure and build one port. Build directories live under $OUT/<port>.
OUT=${GORT_OUT:-out}
# Every port has a cross file ci/cross/<os>-<arch>.ini (linux-amd64's runs the
# native build's binaries under QEMU); the list is read from them, linux
# first, then freebsd, then darwin, then any other OS.
_ports_dir=$(dirname "${BASH_SOURCE[0]}")/cross
mapfile -t PORTS < <(for f in "$_ports_dir"/*.ini; do
  p=$(basename "$f" .ini)
  case $p in linux-*) r=0 ;; freebsd-*) r=1 ;; darwin-*) r=2 ;; *) r=3 ;; esac
  echo "$r $p"
done | sort | cut -d' ' -f2)

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
