#!/usr/bin/env bash
# Benchmark of `commons verify`, side by side with sigstore's model_signing
# (`model_signing verify key`, PyPI `model-signing`), medians of several runs
# with the page cache warm, in one run:
#   1. a folder of 4 files of 1 GiB each        (commons vs model_signing)
#   2. a single 4 GiB file                      (commons; GB/s)
#   3. a commons of 10,000 small signed manifests (commons; and an earlier
#      build given as COMMONS_BASELINE_BIN), then the same with 50 signed
#      governance versions
#   4. the two-core SHA-256 floor: `openssl speed -evp sha256` in the same run
# Usage: benches/verify.sh [RUNS]   (needs ~9 GiB free under target/bench)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
bench="$here/target/bench/verify"
mkdir -p "$bench"
[ -n "${COMMONS_BIN:-}" ] || cargo build --quiet --release --manifest-path "$here/Cargo.toml"
commons="${COMMONS_BIN:-${CARGO_TARGET_DIR:-$here/target}/release/commons}"
export COMMONS_KEY_DIR="$bench/keys" GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost

median() { python3 -c 'import sys,statistics; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.3f}")' "$@"; }
timeit() { # runs "$@" $runs times (after one warm-up), prints the median wall seconds
  "$@" >/dev/null 2>&1 || true
  local t=()
  for _ in $(seq "$runs"); do
    local s; s=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t+=("$(python3 -c "import time; print(time.time() - $s)")")
  done
  median "${t[@]}"
}
make_file() { [ -f "$1" ] && [ "$(stat -c %s "$1")" = "$2" ] || head -c "$2" /dev/urandom > "$1"; }

# 1. Four files of 1 GiB.
mkdir -p "$bench/four"
for i in 1 2 3 4; do make_file "$bench/four/shard-$i.bin" $((1 << 30)); done
rm -rf "$bench/c4" "$bench/keys"
"$commons" -q init "$bench/c4" --name bench >/dev/null
"$commons" -q -C "$bench/c4" key generate --name bench --no-password >/dev/null
"$commons" -q -C "$bench/c4" record model bench/four --license MIT --files "$bench/four" --source-local bench
"$commons" -q -C "$bench/c4" sign bench/four
"$commons" -C "$bench/c4" verify bench/four --files "$bench/four" >/dev/null
cat "$bench"/four/* > /dev/null
ours4=$(timeit "$commons" -C "$bench/c4" verify bench/four --files "$bench/four")

peer4=n/a
venv="$here/target/bench/venv"
if [ ! -x "$venv/bin/model_signing" ]; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q model-signing pyopenssl || true
fi
if [ -x "$venv/bin/model_signing" ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$bench/ms.key" 2>/dev/null
  openssl ec -in "$bench/ms.key" -pubout -out "$bench/ms.pub" 2>/dev/null
  "$venv/bin/model_signing" sign key "$bench/four" --private_key "$bench/ms.key" --signature "$bench/ms.sig" >/dev/null 2>&1
  "$venv/bin/model_signing" verify key "$bench/four" --signature "$bench/ms.sig" --public_key "$bench/ms.pub" >/dev/null
  peer4=$(timeit "$venv/bin/model_signing" verify key "$bench/four" --signature "$bench/ms.sig" --public_key "$bench/ms.pub")
fi

# 2. One file of 4 GiB.
mkdir -p "$bench/one"
[ -f "$bench/one/model.bin" ] || cat "$bench"/four/* > "$bench/one/model.bin"
"$commons" -q -C "$bench/c4" record model bench/one --license MIT --files "$bench/one" --source-local bench
"$commons" -q -C "$bench/c4" sign bench/one
cat "$bench/one/model.bin" > /dev/null
ours1=$(timeit "$commons" -C "$bench/c4" verify bench/one --files "$bench/one")

# 3. 10,000 small signed manifests (made with BIN into DIR).
make_10k() {
  local bin="$1" dir="$2"
  [ -d "$dir/manifests/datasets" ] && return 0
  rm -rf "$dir"
  "$bin" -q init "$dir" --name bench10k >/dev/null
  "$bin" -q -C "$dir" key generate --name many --no-password >/dev/null
  python3 - "$dir" <<'PY'
import sys, pathlib
root = pathlib.Path(sys.argv[1])
for i in range(10000):
    org = f"org{i % 100}"
    p = root / "manifests" / "datasets" / org / f"set{i}.yaml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(f"""schema: commons/v1
kind: dataset
id: {org}/set{i}
license:
  expression: CC-BY-4.0
source:
  url: https://example.org/{i}
  retrieved: 2026-11-22
files:
- path: data-{i}.jsonl
  size: {i}
  sha256: {i:064x}
dataset:
  languages:
  - en
""")
PY
  "$bin" -q -C "$dir" sign --all --as many
}
make_10k "$commons" "$bench/c10k"
ours10k=$(timeit "$commons" -C "$bench/c10k" verify --no-files)
# The same with an earlier build (COMMONS_BASELINE_BIN), side by side.
base10k=n/a
if [ -n "${COMMONS_BASELINE_BIN:-}" ]; then
  COMMONS_KEY_DIR="$bench/keys-base" make_10k "$COMMONS_BASELINE_BIN" "$bench/c10k-base"
  base10k=$(timeit "$COMMONS_BASELINE_BIN" -C "$bench/c10k-base" verify --no-files)
fi

# 3b. The same commons with 50 governance versions and a snapshot.
if [ ! -f "$bench/c10k-gov/governance/0050.yaml" ]; then
  rm -rf "$bench/c10k-gov"
  cp -a "$bench/c10k" "$bench/c10k-gov"
  for v in $(seq 2 50); do
    if [ $((v % 2)) = 0 ]; then fields=license,source,files; else fields=license,source; fi
    "$commons" -q -C "$bench/c10k-gov" policy set required-fields "$fields"
  done
fi
ours10kgov=$(timeit "$commons" -C "$bench/c10k-gov" verify --no-files)

# 4. The SHA-256 floor: bytes per second per core with 16 KiB blocks.
floor=$(openssl speed -seconds 3 -bytes 16384 -evp sha256 2>/dev/null | awk '/^sha256/ {print $2}' | sed 's/k$//')

python3 - "$ours4" "$peer4" "$ours1" "$ours10k" "$ours10kgov" "${floor:-0}" "$base10k" <<'PY'
import sys
ours4, peer4, ours1, ours10k, ours10kgov, floor, base10k = sys.argv[1:]
gib4 = 4 * (1 << 30) / 1e9
print("benchmark                                  commons     model_signing   ratio")
ratio = f"{float(peer4)/float(ours4):.2f}x" if peer4 != "n/a" else "n/a"
print(f"verify 4 x 1 GiB folder (median s)        {float(ours4):8.3f}     {peer4:>10}      {ratio}")
print(f"verify 1 x 4 GiB file (median s)          {float(ours1):8.3f}     ({gib4/float(ours1):.2f} GB/s)")
print(f"verify 10,000 small manifests (median s)  {float(ours10k):8.3f}     baseline build: {base10k}")
print(f"  + 50 governance versions and a snapshot  {float(ours10kgov):8.3f}")
if float(floor) > 0:
    per_core = float(floor) * 1000  # openssl prints thousands of bytes per second
    floor4 = 4 * (1 << 30) / (2 * per_core)
    print(f"sha256 floor for 4 GiB on 2 cores (openssl {per_core/1e9:.2f} GB/s per core)  {floor4:8.3f} s"
          f"  -> verify reaches {floor4/float(ours4):.0%} of it")
PY
