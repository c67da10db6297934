#!/usr/bin/env python3
"""Brunel (2000) model A in Brian2 C++ standalone with OpenMP threads, for the side-by-side
comparison with `synaptop bench brunel` and `synaptop run brunel` (README, "Both cores").

Our own code, modelled on `coba_brian2.py` (one fresh process per run, one JSON line each).

    python brunel_brian2.py --threads 2 --duration 1 --seeds 1,2,3          # driver
    python brunel_brian2.py --threads 2 --duration 1 --seed 1 --worker      # one run

Network (the values of `scenes/brunel.toml` at the paper's size, `--excitatory 10000`):
N_E E and N_I = N_E / 4 I LIF neurons, tau = 20 ms, theta = 20 mV, V_r = 10 mV, refractory
2 ms; delta synapses J = 0.1 mV (E), -g J (I), fixed in-degree C_E = eps N_E, C_I = eps N_I
drawn with replacement (numpy, then `connect(i=, j=)`), delay D = 1.5 ms; external drive:
`PoissonInput` of C_E inputs at eta nu_thr, nu_thr = theta / (J C_E tau); V0 ~ U(0, theta).
Inputs arriving during the refractory period are dropped (`int(not_refractory)`), as in
NEST's iaf_psc_delta and synaptop. Brian2 delivers spikes after the threshold of a step and
synaptop before it, so the Brian2 delay is D - dt (the same 15 steps from spike to effect).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("PEERS_BUILD", os.path.join(tempfile.gettempdir(), "synaptop-peers-build"))


def run_worker(args):
    import numpy as np
    import brian2 as b2
    from brian2 import ms, mV, Hz, second

    b2.set_device("cpp_standalone", build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = args.threads
    b2.defaultclock.dt = 0.1 * ms
    b2.seed(args.seed)
    ne = args.excitatory
    ni = ne // 4
    n = ne + ni
    ce, ci = int(round(args.epsilon * ne)), int(round(args.epsilon * ni))
    J = 0.1 * mV
    tau, theta, vr = 20 * ms, 20 * mV, 10 * mV
    nu_thr = theta / (J * ce * tau)
    P = b2.NeuronGroup(n, "dv/dt = -v/tau : volt (unless refractory)", threshold="v >= theta", reset="v = vr",
                       refractory=2 * ms, method="exact",
                       namespace=dict(tau=tau, theta=theta, vr=vr))
    P.v = "rand() * theta"
    rng = np.random.default_rng(args.seed)
    src_e = rng.integers(0, ne, size=(n, ce)).ravel()
    src_i = (ne + rng.integers(0, ni, size=(n, ci))).ravel()
    tgt_e = np.repeat(np.arange(n), ce)
    tgt_i = np.repeat(np.arange(n), ci)
    delay = 1.5 * ms - b2.defaultclock.dt
    Se = b2.Synapses(P, P, on_pre="v_post += J * int(not_refractory_post)", delay=delay, namespace=dict(J=J))
    Si = b2.Synapses(P, P, on_pre="v_post += -g * J * int(not_refractory_post)", delay=delay,
                     namespace=dict(J=J, g=args.g))
    Se.connect(i=src_e, j=tgt_e)
    Si.connect(i=src_i, j=tgt_i)
    ext = b2.PoissonInput(P, "v", ce, args.eta * nu_thr, weight="J * int(not_refractory)")
    mon = b2.SpikeMonitor(P)
    net = b2.Network(P, Se, Si, ext, mon)
    net.run(args.duration * second, namespace=dict(J=J, tau=tau, theta=theta, vr=vr, g=args.g))
    d = os.path.join(BUILD, f"brunel_standalone_N{n}_T{args.duration:g}_t{args.threads}")
    dev = b2.get_device()
    tb = time.perf_counter()
    dev.build(directory=d, compile=True, run=False)
    build_s = time.perf_counter() - tb
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    tr = time.perf_counter()
    dev.run(directory=d, with_output=False)
    binary_s = time.perf_counter() - tr
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    binary_cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    si = np.asarray(mon.i[:], dtype=np.int64)
    st = np.asarray(mon.t[:] / second, dtype=np.float64)
    counts = np.bincount(si, minlength=n)
    rates = counts / args.duration
    # Fano factor of 1 ms population counts over the last second (synaptop's `fano`).
    last = st >= max(0.0, args.duration - 1.0)
    bins = np.bincount((st[last] * 1000).astype(np.int64) - int(round(max(0.0, args.duration - 1.0) * 1000)),
                       minlength=int(round(min(1.0, args.duration) * 1000)))
    fano = float(bins.var(ddof=1) / bins.mean()) if bins.mean() > 0 else float("nan")
    outdeg = np.bincount(np.concatenate([src_e, src_i]), minlength=n)
    out = {"tool": "brian2", "brian2_version": b2.__version__, "model": "brunel", "mode": "cpp_standalone",
           "threads": args.threads, "neurons": n, "g": args.g, "eta": args.eta,
           "duration_s": args.duration, "seed": args.seed, "build_s": build_s,
           "run_s": dev._last_run_time, "binary_s": binary_s, "binary_cpu_s": binary_cpu,
           "n_synapses": int(len(src_e) + len(src_i)), "n_spikes": int(counts.sum()),
           "mean_rate_hz": float(rates.mean()), "rate_exc_hz": float(rates[:ne].mean()),
           "rate_inh_hz": float(rates[ne:].mean()), "fano": fano,
           "syn_events": int((counts * outdeg).sum()), "loadavg1": os.getloadavg()[0]}
    print(json.dumps(out))


def driver(args):
    rows = []
    for s in [int(x) for x in args.seeds.split(",")]:
        p = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", "--seed", str(s),
                            "--duration", str(args.duration), "--threads", str(args.threads),
                            "--excitatory", str(args.excitatory), "--epsilon", str(args.epsilon),
                            "--g", str(args.g), "--eta", str(args.eta)],
                           capture_output=True, text=True, cwd=HERE)
        if p.returncode != 0:
            sys.exit(p.stderr[-3000:])
        r = json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])
        rows.append(r)
        print(json.dumps(r), flush=True)
    rs = sorted(r["run_s"] for r in rows)
    print(json.dumps({"summary": "brunel", "threads": args.threads, "duration_s": args.duration, "seeds": args.seeds,
                      "rate_hz": [min(r["mean_rate_hz"] for r in rows), max(r["mean_rate_hz"] for r in rows)],
                      "run_s_median": rs[len(rs) // 2], "run_s": [rs[0], rs[-1]]}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=1.0, help="biological seconds")
    ap.add_argument("--threads", type=int, default=2, help="OpenMP threads")
    ap.add_argument("--excitatory", type=int, default=10000)
    ap.add_argument("--epsilon", type=float, default=0.1)
    ap.add_argument("--g", type=float, default=5.0)
    ap.add_argument("--eta", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--worker", action="store_true")
    args = ap.parse_args()
    if args.worker:
        run_worker(args)
    else:
        driver(args)


if __name__ == "__main__":
    main()
