#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine with the .NET SDK: installs what the tests need when it
# is missing (Debian packages including chromium, Azurite from npm into ./.tools), builds once in Release, runs
# every test project. Screenshots of the dashboard's pages are left in artifacts/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need_apt=()
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need_apt+=(dataset-fashion-mnist)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v docker-compose >/dev/null 2>&1 || need_apt+=(docker-compose)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
# The dashboard tests drive Debian's Chromium through Playwright (which cannot download its own browser here).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # All at once, or, when apt cannot resolve them together, one at a time.
  if ! DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null; then
    for package in "${need_apt[@]}"; do
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "$package" >/dev/null
    done
  fi
fi

if [ ! -x "$root/.tools/azurite/node_modules/.bin/azurite-blob" ]; then
  echo "installing azurite into .tools/azurite"
  mkdir -p "$root/.tools/azurite"
  (cd "$root/.tools/azurite" && npm install --no-audit --no-fund --silent azurite@3 >/dev/null)
fi
export VECTORD_AZURITE="$root/.tools/azurite/node_modules/.bin/azurite-blob"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build Vectord.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
status=0
# One test project at a time: the cluster and browser tests start real processes, and timing goals such as
# failover within seconds are measured without the other projects competing for the two cores.
dotnet test --solution Vectord.sln -c Release --no-build --max-parallel-test-modules 1 "$@" 2>&1 | tee "$log" || status=$?

# One closing line in the plain form: "N passed, N failed" (from the runner's final summary block).
summary() { sed -n '/Test run summary/,$p' "$log" | sed -nE "s/^ *$1: ([0-9]+)\r?$/\1/p" | tail -1; }
passed=$(summary succeeded); failed=$(summary failed); skipped=$(summary skipped)
passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# The distance kernels (float and quantized), and searches beside a writer, again on the narrower SIMD paths: without AVX-512 (Vector256), without AVX2 (Vector128),
# then without any hardware intrinsics (scalar). .NET 10 reads DOTNET_EnableAVX512; DOTNET_EnableAVX512F is the name older runtimes read.
# The class checks that each switch really took effect, so a re-run cannot silently test the default path.
kernel_project=tests/Hnsw.Tests/Vectord.Hnsw.Tests.csproj
for isa in "DOTNET_EnableAVX512F=0 DOTNET_EnableAVX512=0" "DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0" "DOTNET_EnableHWIntrinsic=0"; do
  echo "== DistanceKernelTests, QuantizedDistanceTests and ReadsBesideWritesTests with $isa"
  run_status=0
  env $isa dotnet test --project "$kernel_project" -c Release --no-build --filter-class '*DistanceKernelTests' --filter-class '*QuantizedDistanceTests' --filter-class '*ReadsBesideWritesTests' 2>&1 | tee "$log" || run_status=$?
  run_passed=$(summary succeeded); run_failed=$(summary failed)
  run_passed=${run_passed:-0}; run_failed=${run_failed:-0}
  if [ "$run_status" -ne 0 ] && [ "$run_failed" -eq 0 ]; then run_failed=1; fi
  if [ "$run_passed" -eq 0 ] && [ "$run_failed" -eq 0 ]; then run_failed=1; fi
  passed=$((passed + run_passed)); failed=$((failed + run_failed))
  if [ "$run_status" -ne 0 ] || [ "$run_failed" -ne 0 ]; then status=1; fi
done
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
