#!/bin/sh
# The peer comparison of docs/operations.md: the same merges of the same BF16 files by merge_peer.py (PyTorch, per
# tensor) and by cki-compute merge, whole processes timed with /usr/bin/time, the output deleted before every run,
# the two alternating run by run; the best of ROUNDS wall times of each is printed, and their ratio.
# Usage: [METHODS="average ties"] benchmarks/peer/run.sh CKI_COMPUTE [MODEL_GB] [ROUNDS] [SCRATCH]
# CKI_COMPUTE is the published cki-compute executable (dotnet publish src/Cki.Compute -c Release -o DIR).
# Needs python3 with PyTorch (Debian: apt-get install -y python3-torch) and /usr/bin/time.
set -eu
cki=$1
gb=${2:-1}
rounds=${3:-3}
dir=${4:-/tmp/cki-peer}
here=$(cd "$(dirname "$0")" && pwd)
# Debian's python3-torch installs for the system python; PYTHON overrides it.
python=${PYTHON:-/usr/bin/python3}
mkdir -p "$dir"
"$python" "$here/merge_peer.py" generate --dtype bf16 --model-gb "$gb" "$dir/a.safetensors" "$dir/b.safetensors" "$dir/base.safetensors"

wall() { # prints the wall seconds of the command
    /usr/bin/time -f '%e' -o "$dir/time.txt" "$@" > /dev/null 2>&1
    cat "$dir/time.txt"
}

best() { # the smallest of the numbers on standard input
    sort -g | head -n 1
}

for method in ${METHODS:-average global-only ties}; do
    base=""
    [ "$method" = ties ] && base="$dir/base.safetensors"
    {
        echo "models:"
        echo "  - '$dir/a.safetensors'"
        echo "  - '$dir/b.safetensors'"
        echo "method: $method"
        [ -n "$base" ] && echo "base: '$base'"
        echo "hash_inputs: false"
        echo "output: '$dir/cki.safetensors'"
    } > "$dir/merge.yaml"
    : > "$dir/peer.txt"
    : > "$dir/cki.txt"
    i=0
    while [ "$i" -le "$rounds" ]; do # round 0 warms up and is not counted
        rm -f "$dir"/peer.safetensors "$dir"/cki*.safetensors "$dir"/cki*.json "$dir"/compatibility*
        t=$(wall "$python" "$here/merge_peer.py" merge --method "$method" ${base:+--base "$base"} --output "$dir/peer.safetensors" "$dir/a.safetensors" "$dir/b.safetensors")
        [ "$i" -gt 0 ] && echo "$t" >> "$dir/peer.txt"
        rm -f "$dir"/peer.safetensors "$dir"/cki*.safetensors "$dir"/cki*.json "$dir"/compatibility*
        t=$(wall "$cki" merge --config "$dir/merge.yaml")
        [ "$i" -gt 0 ] && echo "$t" >> "$dir/cki.txt"
        i=$((i + 1))
    done
    p=$(best < "$dir/peer.txt")
    c=$(best < "$dir/cki.txt")
    echo "$method: PyTorch per tensor $p s, cki-compute merge $c s, ratio $(echo "$p $c" | awk '{printf "%.1f", $1 / $2}')x (best of $rounds, 2 x $gb GB BF16)"
done
rm -rf "$dir"
