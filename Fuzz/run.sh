#!/usr/bin/env bash
# Builds the libFuzzer target for the scene decoder + validator and runs it for a bounded time.
#
#   Fuzz/run.sh [SECONDS]        (default 60; CI runs it after `swift test`)
#
# SynCore, SynModels and SynScenes are compiled here with `swiftc -sanitize=fuzzer` (coverage
# instrumentation for libFuzzer); TOMLKit and its C++ toml++ core are linked from the package's
# debug build (`swift build --target TOMLKit`). The seed corpus is scenes/*.toml plus every file
# in Fuzz/regressions. A crash exits 1 and copies the input to Fuzz/regressions/ (commit it: the
# SynScenesTests suite loads every file there).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
root="$PWD"
out="$root/.build/fuzz"
mkdir -p "$out"

swift build --target TOMLKit >/dev/null
dbg="$(swift build --show-bin-path)"
ctoml_include="$root/.build/checkouts/TOMLKit/Sources/CTOML/include"
common=(-swift-version 6 -parse-as-library -sanitize=fuzzer -Onone
        -I "$out" -I "$dbg/Modules" -Xcc -fmodule-map-file="$dbg/CTOML.build/module.modulemap" -Xcc -I"$ctoml_include")

build_module() {  # name
  local name="$1"
  local srcs
  mapfile -t srcs < <(find "Sources/$name" -name '*.swift' | sort)
  # Rebuild only when a source is newer than the object.
  if [ -f "$out/$name.o" ] && [ -z "$(find "Sources/$name" -name '*.swift' -newer "$out/$name.o" | head -1)" ]; then return; fi
  echo "fuzz: compiling $name (${#srcs[@]} files)"
  swiftc "${common[@]}" -module-name "$name" -wmo -emit-module -emit-module-path "$out/$name.swiftmodule" \
    -c "${srcs[@]}" -o "$out/$name.o"
}
build_module SynCore
build_module SynModels
build_module SynScenes

toml_objs=("$dbg"/TOMLKit.build/*.o)
mapfile -t ctoml_objs < <(find "$dbg/CTOML.build" -name '*.o')
swiftc "${common[@]}" Fuzz/SceneFuzzer.swift "$out"/SynCore.o "$out"/SynModels.o "$out"/SynScenes.o \
  "${toml_objs[@]}" "${ctoml_objs[@]}" -lstdc++ -o "$out/scene-fuzzer"

corpus="$out/corpus"
mkdir -p "$corpus"
cp scenes/*.toml "$corpus/"
cp Fuzz/regressions/* "$corpus/" 2>/dev/null || true
rm -f "$out"/crash-* "$out"/timeout-* "$out"/oom-*

set +e
SWIFT_BACKTRACE=enable=no "$out/scene-fuzzer" -max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$out/" -print_final_stats=1 "$corpus" 2>"$out/fuzz.log"
rc=$?
set -e
tail -n 15 "$out/fuzz.log"
if [ $rc -ne 0 ]; then
  for f in "$out"/crash-* "$out"/timeout-* "$out"/oom-*; do
    [ -e "$f" ] || continue
    cp "$f" "Fuzz/regressions/$(basename "$f").toml"
    echo "fuzz: FINDING kept as Fuzz/regressions/$(basename "$f").toml"
  done
  echo "fuzz: the scene fuzzer failed (exit $rc); see $out/fuzz.log"
  exit 1
fi
echo "fuzz: no crash in ${secs} s"
