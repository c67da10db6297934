#!/usr/bin/env python3
"""Mutation campaign against the synaptop binary (issue 18).

Mutates the shipped scenes (scenes/*.toml) into N files (byte flips, truncation, deleted and
repeated lines, duplicated keys, values replaced by edge cases, wrong types, long strings,
unicode, deep nesting, control characters), gives each to `synaptop check` and, when accepted,
to `synaptop run F --steps 200 --quiet`, each with a time limit, and counts:

- crashes: killed by a signal or exit status >= 128 other than 130 (SIGILL traps, aborts, ...)
- timeouts: still running after the limit
- errors that are not exactly one line on stderr, and error lines longer than 200 characters

    scripts/fuzz_campaign.py [--binary .build/release/synaptop] [--count 3000] [--seed 1]
                             [--timeout 20] [--jobs 2] [--keep DIR]

Fixed seed: the same files every time. Prints a summary and every finding (file kept in --keep).
"""
import argparse
import concurrent.futures as cf
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

EDGE_VALUES = [
    "0", "-1", "1", "1e30", "-1e30", "5e-324", "1e-322", "1e-50", "1e-12", "nan", "inf", "-inf",
    "9223372036854775807", "-9223372036854775808", "4096", "100000", "1000000000", "2147483648",
    '"abc"', '"0.02"', "true", "[]", "[1, 2, 3]", "[4096, 4096, 4096]", "{}", '{ a = 1 }',
    '"' + "A" * 5000 + '"', '"\\u0000"', '"\\n"', '"é漢字🙂"', "0.999999", "1.0000001", "-0.0",
    "[" + ",".join(["5e-324"] * 64) + "]", "[" + ",".join(["1.0"] * 2048) + "]",
]


def scene_texts():
    out = []
    for name in sorted(os.listdir(os.path.join(ROOT, "scenes"))):
        if name.endswith(".toml"):
            with open(os.path.join(ROOT, "scenes", name), "rb") as f:
                out.append((name[:-5], f.read()))
    return out


ASSIGN = re.compile(rb"^(\s*[A-Za-z0-9_.\"-]+\s*=\s*)(.*)$")
NUMBER = re.compile(rb"^(\s*[A-Za-z0-9_.-]+\s*=\s*)(-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)(\s*(?:#.*)?)$")


def mutate(rng, text):
    lines = text.split(b"\n")
    kind = rng.randrange(12)
    if kind == 0:  # byte flips
        b = bytearray(text)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] = rng.randrange(256)
        return bytes(b), "byteflip"
    if kind == 1:  # truncation
        return text[: rng.randrange(len(text))], "truncate"
    if kind == 2:  # delete lines
        for _ in range(rng.randint(1, 5)):
            if lines:
                del lines[rng.randrange(len(lines))]
        return b"\n".join(lines), "delete-lines"
    if kind == 3:  # repeat a line (duplicate keys)
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return b"\n".join(lines), "repeat-line"
    if kind in (4, 5):  # replace one value by an edge case
        idx = [i for i, l in enumerate(lines) if ASSIGN.match(l)]
        if idx:
            i = rng.choice(idx)
            m = ASSIGN.match(lines[i])
            lines[i] = m.group(1) + rng.choice(EDGE_VALUES).encode()
        return b"\n".join(lines), "value"
    if kind in (6, 7):  # scale one or two numbers (mostly still valid: exercises `run`)
        idx = [i for i, l in enumerate(lines) if NUMBER.match(l)]
        for _ in range(rng.randint(1, 2)):
            if not idx:
                break
            i = rng.choice(idx)
            m = NUMBER.match(lines[i])
            x = float(m.group(2))
            f = rng.choice([0, 1e-3, 0.01, 0.1, 0.5, 2, 10, 100, 1000, -1])
            y = x * f
            v = str(int(y)) if m.group(2).lstrip(b"-").isdigit() and abs(y) < 1e18 else repr(y)
            lines[i] = m.group(1) + v.encode() + m.group(3)
        return b"\n".join(lines), "scale"
    if kind == 8:  # deep nesting
        depth = rng.choice([20, 100, 1000, 30000])
        form = rng.randrange(4)
        if form == 0:
            extra = b"[" + b".".join([b"a"] * depth) + b"]\nx = 1\n"
        elif form == 1:
            extra = b".".join([b"a"] * depth) + b" = 1\n"
        elif form == 2:
            extra = b"x = " + b"[" * depth + b"]" * depth + b"\n"
        else:
            extra = b"x = " + b"{a = " * depth + b"1" + b"}" * depth + b"\n"
        return text + b"\n" + extra, "deep"
    if kind == 9:  # control characters and odd bytes
        b = bytearray(text)
        i = rng.randrange(len(b))
        b[i:i] = bytes([rng.choice([0, 1, 7, 8, 0x0B, 0x0C, 0x1B, 0x7F, 0xC3, 0xFF])])
        return bytes(b), "control"
    if kind == 10:  # odd headers and keys
        extra = rng.choice([b"[\n", b"[[ \n", b"[ [a]]\n", b"[\xc3\xa9]\n", b'"a\\nb" = 1\n', b'"\\u0000" = 1\n',
                            b"[network]\n", b"[rule]\nname = 1\n", b"=1\n", b". = 1\n", b"a..b = 1\n"])
        i = rng.randrange(len(lines) + 1)
        lines.insert(i, extra.rstrip(b"\n"))
        return b"\n".join(lines), "header"
    # swap two lines
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines), "swap"


CRASH_SIGNALS = {4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 11: "SIGSEGV"}


def classify(proc_rc):
    if proc_rc < 0:
        return CRASH_SIGNALS.get(-proc_rc, f"signal {-proc_rc}")
    if proc_rc >= 128 and proc_rc != 130:
        return CRASH_SIGNALS.get(proc_rc - 128, f"exit {proc_rc}")
    return None


def run_one(binary, path, timeout, cwd):
    """Returns a dict of outcome fields for one mutated file."""
    res = {"file": path, "stage": "check"}
    try:
        p = subprocess.run([binary, "check", path], capture_output=True, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        res["outcome"] = "timeout"
        return res
    crash = classify(p.returncode)
    if crash:
        res.update(outcome="crash", detail=crash, stderr=p.stderr[-400:].decode(errors="replace"))
        return res
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace")
        lines = err.rstrip("\n").split("\n")
        res.update(outcome="rejected", lines=len(lines), longest=max(len(l) for l in lines), first=lines[0][:200])
        return res
    res["stage"] = "run"
    try:
        p = subprocess.run([binary, "run", path, "--steps", "200", "--quiet"], capture_output=True, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        res["outcome"] = "timeout"
        return res
    crash = classify(p.returncode)
    if crash:
        res.update(outcome="crash", detail=crash, stderr=p.stderr[-400:].decode(errors="replace"))
        return res
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace")
        lines = err.rstrip("\n").split("\n")
        res.update(outcome="run-error", lines=len(lines), longest=max(len(l) for l in lines), first=lines[0][:200])
        return res
    res["outcome"] = "ran"
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/synaptop"))
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", default=None, help="directory for the files of findings")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    scenes = scene_texts()
    work = tempfile.mkdtemp(prefix="synaptop-campaign-")
    files = []
    kinds = {}
    for k in range(args.count):
        name, text = scenes[k % len(scenes)]
        data, kind = mutate(rng, text)
        path = os.path.join(work, f"{k:05d}-{name}-{kind}.toml")
        with open(path, "wb") as f:
            f.write(data)
        files.append(path)
        kinds[path] = kind

    counts = {"crash": 0, "timeout": 0, "rejected": 0, "ran": 0, "run-error": 0}
    not_one_line, too_long, findings = 0, 0, []
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        futs = [ex.submit(run_one, os.path.abspath(args.binary), f, args.timeout, work) for f in files]
        for i, fut in enumerate(cf.as_completed(futs)):
            r = fut.result()
            counts[r["outcome"]] += 1
            if r["outcome"] in ("rejected", "run-error"):
                if r["lines"] != 1:
                    not_one_line += 1
                    findings.append(r)
                if r["longest"] > 200:
                    too_long += 1
                    findings.append(r)
            elif r["outcome"] in ("crash", "timeout"):
                findings.append(r)
            if (i + 1) % 500 == 0:
                print(f"  {i + 1}/{len(files)} ...", file=sys.stderr, flush=True)

    print(f"binary: {args.binary}")
    print(f"files: {len(files)} mutated from {len(scenes)} scenes (seed {args.seed}), timeout {args.timeout:g} s")
    print(f"rejected by check: {counts['rejected']}   ran: {counts['ran']}   run errors: {counts['run-error']}")
    print(f"crashes: {counts['crash']}   timeouts: {counts['timeout']}   errors not one line: {not_one_line}   error lines > 200 chars: {too_long}")
    if args.keep and findings:
        os.makedirs(args.keep, exist_ok=True)
    for r in findings:
        desc = r.get("detail") or r.get("first") or ""
        print(f"  {r['outcome']:9s} {r['stage']:5s} {os.path.basename(r['file'])}: {desc[:160]}")
        if args.keep:
            shutil.copy(r["file"], args.keep)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if counts["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
