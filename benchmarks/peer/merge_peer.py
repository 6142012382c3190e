#!/usr/bin/env python3
"""The same data-free merges done the usual PyTorch way, as a peer for `cki-compute bench merge`.

Per tensor, the way mergekit-style tools work: read each model's tensor from its safetensors file (one read per
tensor and model, into a new tensor), merge it in float32, convert back to the input type with PyTorch's own
conversion (round to nearest even), and write it to the output; the output is fsynced at the end.

Methods (the definitions of docs/method.md and cki-compute's):
  average      the mean of the K models
  global-only  per tensor, w_k = g_k / sum_j g_j with g_k = (a/pi) atan(c (H_k - mean_{j!=k} H_j)) + 1/2, H the
               entropy of the 10-bin histogram (top edge excluded), a = 0.4, c = 500
  ties         TIES against --base: top --density share by magnitude of each task vector, sign election, mean of
               the agreeing values, base + --lambda x that

Needs only python3 and PyTorch (Debian: apt-get install -y python3-torch). Run it with -h for the options; the
`generate` command writes seeded random models to merge. Time whole processes with public tools, for example
/usr/bin/time -v, beside `cki-compute merge` on the same files.
"""
import argparse
import json
import math
import os
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}


class SafetensorsFile:
    """A safetensors file read tensor by tensor (one positioned read per tensor)."""

    def __init__(self, path):
        self.handle = open(path, "rb")
        (length,) = struct.unpack("<Q", self.handle.read(8))
        header = json.loads(self.handle.read(length))
        self.metadata = header.pop("__metadata__", {})
        self.data_start = 8 + length
        self.entries = header

    def names(self):
        return sorted(self.entries, key=lambda n: self.entries[n]["data_offsets"][0])

    def read(self, name):
        entry = self.entries[name]
        start, end = entry["data_offsets"]
        buffer = bytearray(end - start)
        self.handle.seek(self.data_start + start)
        self.handle.readinto(buffer)
        dtype = DTYPES[entry["dtype"]]
        if not buffer:
            return torch.empty(entry["shape"], dtype=dtype)
        return torch.frombuffer(buffer, dtype=dtype).reshape(entry["shape"])


def write_header(out, layout):
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, dtype, shape, nbytes in layout:
        header[name] = {"dtype": NAMES[dtype], "shape": list(shape), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    out.write(struct.pack("<Q", len(text)))
    out.write(text)


def write_tensor(out, tensor):
    out.write(memoryview(tensor.contiguous().view(torch.uint8).reshape(-1).numpy()))


def entropy(theta):
    """Entropy of the 10-bin equal-width histogram over the finite values, the top edge excluded."""
    values = theta.reshape(-1).float()
    values = values[torch.isfinite(values)] if not torch.isfinite(values).all() else values
    if values.numel() == 0:
        return 0.0
    low, high = values.min().item(), values.max().item()
    if high <= low:
        return 0.0
    bins = torch.floor((values - low) * (10.0 / (high - low))).long()
    counts = torch.bincount(bins[bins < 10], minlength=10).double() / theta.numel()
    counts = counts[counts > 0]
    return float(-(counts * counts.log()).sum())


def global_weights(entropies, a=0.4, c=500.0):
    k, total = len(entropies), sum(entropies)
    g = [a / math.pi * math.atan(c * (h - (total - h) / (k - 1))) + 0.5 for h in entropies]
    return [v / sum(g) for v in g]


def merge_tensor(method, thetas, base, args):
    if method == "average":
        total = thetas[0].float()
        for t in thetas[1:]:
            total = total + t.float()
        return (total / len(thetas)).to(thetas[0].dtype)
    if method == "global-only":
        weights = global_weights([entropy(t) for t in thetas])
        total = thetas[0].float() * weights[0]
        for w, t in zip(weights[1:], thetas[1:]):
            total = total + t.float() * w
        return total.to(thetas[0].dtype)
    if method == "ties":
        b = base.float()
        vectors = torch.stack([t.float() - b for t in thetas])
        n = vectors[0].numel()
        keep = math.ceil(args.density * n)
        trimmed = []
        for v in vectors:
            if keep < n:
                cutoff = v.abs().reshape(-1).kthvalue(n - keep + 1).values
                v = torch.where(v.abs() >= cutoff, v, torch.zeros_like(v))
            trimmed.append(v)
        trimmed = torch.stack(trimmed)
        sign = trimmed.sum(0).sign()
        agrees = (trimmed.sign() == sign) & (trimmed != 0)
        kept = torch.where(agrees, trimmed, torch.zeros_like(trimmed)).sum(0)
        count = agrees.sum(0).clamp(min=1).float()
        return (b + args.lam * kept / count).to(thetas[0].dtype)
    raise ValueError(method)


def merge(args):
    models = [SafetensorsFile(p) for p in args.models]
    base = SafetensorsFile(args.base) if args.base else None
    if args.method == "ties" and base is None:
        sys.exit("ties needs --base")
    names = models[0].names()
    layout = []
    for name in names:
        e = models[0].entries[name]
        start, end = e["data_offsets"]
        layout.append((name, DTYPES[e["dtype"]], e["shape"], end - start))
    with open(args.output, "wb") as out:
        write_header(out, layout)
        for name, dtype, _, _ in layout:
            thetas = [m.read(name) for m in models]
            if dtype.is_floating_point:
                merged = merge_tensor(args.method, thetas, base.read(name) if base else None, args)
            else:
                merged = thetas[0]
            write_tensor(out, merged)
        out.flush()
        os.fsync(out.fileno())


def generate(args):
    """Seeded random models: `tensors` tensors of [rows, 1024], each model a different seed."""
    dtype = DTYPES[args.dtype.upper()]
    element = torch.tensor([], dtype=dtype).element_size()
    rows = max(1, int(args.tensor_mb * 2**20 / element / 1024))
    count = max(1, math.ceil(args.model_gb * 1e9 / (rows * 1024 * element)))
    layout = [(f"layers.{i}.weight", dtype, [rows, 1024], rows * 1024 * element) for i in range(count)]
    for index, path in enumerate(args.outputs):
        generator = torch.Generator().manual_seed(1000 + index)
        with open(path, "wb") as out:
            write_header(out, layout)
            for i in range(count):
                write_tensor(out, (torch.randn(rows, 1024, generator=generator) * (1 + 0.001 * i)).to(dtype))
            out.flush()
            os.fsync(out.fileno())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    m = commands.add_parser("merge", help="merge models")
    m.add_argument("--method", choices=["average", "global-only", "ties"], required=True)
    m.add_argument("--base", help="base model (ties)")
    m.add_argument("--density", type=float, default=0.2)
    m.add_argument("--lambda", dest="lam", type=float, default=1.0)
    m.add_argument("--output", required=True)
    m.add_argument("models", nargs="+")
    g = commands.add_parser("generate", help="write seeded random models")
    g.add_argument("--dtype", default="bf16", choices=["f32", "bf16", "f16"])
    g.add_argument("--model-gb", type=float, default=1.0)
    g.add_argument("--tensor-mb", type=float, default=64)
    g.add_argument("outputs", nargs="+")
    args = parser.parse_args()
    if args.command == "merge":
        merge(args)
    else:
        generate(args)


if __name__ == "__main__":
    main()
