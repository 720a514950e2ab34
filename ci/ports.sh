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

# Ports whose binaries run on this machine: Linux natively or under QEMU,
# FreeBSD and Darwin under gort-sim (their cross files' exe_wrapper is ci/sim-run).
runnable() { [[ $1 == linux-* || $1 == freebsd-* || $1 == darwin-* ]]; }
# Ports that run under gort-sim, and the test suites ci/test runs there
# (the stress suites take too long at the simulator's ~5 M instructions/s).
simulated() { [[ $1 == freebsd-* || $1 == darwin-* ]]; }
SIM_SUITES=(--suite port --suite runtime --suite simsched --suite fatal --suite verify)

# The port's cross file as meson reads it: ci/cross/<port>.ini with
# @GORT_ROOT@ (where a cross file names a script of this checkout, such as
# the freebsd ports' exe_wrapper ci/sim-run) replaced by the checkout's path.
cross_file() {
  local dst=$OUT/$1.ini
  sed "s|@GORT_ROOT@|$(pwd)|g" "ci/cross/$1.ini" >"$dst"
  echo "$dst"
}

# Configures $OUT/<port> (linux-amd64 is the native build; every other port
# uses its cross file) and builds it. Output goes to $OUT/<port>.log. A
# reconfigure keeps the compilers meson found first, so a build directory
# whose cross file has changed since (another compiler) is wiped.
build_port() {
  local port=$1 dir=$OUT/$1 cross=() ini=
  mkdir -p "$OUT"
  [[ $port == linux-amd64 ]] || { ini=$(cross_file "$port"); cross=(--cross-file "$ini"); }
  {
    if [[ -f $dir/build.ninja ]] && { [[ -z $ini ]] || cmp -s "$ini" "$dir/gort-cross.ini"; }; then
      meson setup --reconfigure "$dir" "${cross[@]}"
    elif [[ -f $dir/build.ninja ]]; then
      meson setup --wipe "$dir" "${cross[@]}"
    else
      meson setup "$dir" "${cross[@]}"
    fi && { [[ -z $ini ]] || cp "$ini" "$dir/gort-cross.ini"; } && ninja -C "$dir"
  } >"$OUT/$port.log" 2>&1
}
