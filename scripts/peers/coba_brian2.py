#!/usr/bin/env python3
"""COBA (Brette et al. 2007, benchmark 1) in Brian2 C++ standalone, for the side-by-side
comparison with `synaptop run coba` / `synaptop bench coba` (README, "Benchmarks").

Our own code, modelled on the peer scripts of this project (`cuba_brian2.py`,
`bench_cuba_brian2.py`, `bench_util.py`: one fresh process per run, one JSON line each).

    python coba_brian2.py --duration 1 --seeds 1,2,3          # driver: one subprocess per seed
    python coba_brian2.py --duration 1 --seed 1 --worker      # one run, one JSON line

Network (the Brian reference implementation of benchmark 1, values of
`scenes/coba.toml`): 4000 LIF (3200 E, 800 I), p = 0.02 for every ordered pair (self
connections allowed), taum = 20 ms (gL = 10 nS, C = 200 pF), El = -60 mV, Vt = -50 mV,
Vr = -60 mV, refractory 5 ms, exponential conductances taue = 5 ms, taui = 10 ms,
Ee = 0 mV, Ei = -80 mV, we = 6 nS (0.6 gL), wi = 67 nS (6.7 gL), no delays, no input;
V ~ N(-65, 5^2) mV, ge ~ N(4, 1.5^2) gL, gi ~ N(20, 12^2) gL; dt = 0.1 ms,
method = 'exponential_euler' (the scheme synaptop uses).

Reported: run_s (Brian2's device._last_run_time: the simulation loop only), binary_s (wall
time of ./main: synapse creation + loop + result writing), binary_cpu_s, mean_rate_hz,
cv_isi (mean over neurons with >= 3 ISIs of SD/mean, as synaptop's cv_isi), n_spikes,
syn_events, bg load before the run.
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
# Generated C++ projects (outside the repository; reused, so later seeds recompile little).
BUILD = os.environ.get("PEERS_BUILD", os.path.join(tempfile.gettempdir(), "synaptop-peers-build"))

COBA_EQS = """
dv/dt = (gl*(El - v) + ge*(Ee - v) + gi*(Ei - v)) / C : volt (unless refractory)
dge/dt = -ge/taue : siemens
dgi/dt = -gi/taui : siemens
"""


def coba_group(b2):
    """The COBA NeuronGroup and its namespace."""
    from brian2 import ms, mV, nS, pF
    ns = dict(C=200 * pF, gl=10 * nS, El=-60 * mV, Ee=0 * mV, Ei=-80 * mV,
              taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV)
    P = b2.NeuronGroup(4000, COBA_EQS, threshold="v > Vt", reset="v = Vr",
                       refractory=5 * ms, method="exponential_euler", namespace=ns)
    return P


def cv_isi(spike_i, spike_t, n, min_intervals=3):
    """Mean CV of ISIs over neurons with >= min_intervals intervals (population SD)."""
    import numpy as np
    order = np.lexsort((spike_t, spike_i))
    i, t = spike_i[order], spike_t[order]
    cvs = []
    starts = np.searchsorted(i, np.arange(n + 1))
    for k in range(n):
        tt = t[starts[k]:starts[k + 1]]
        if len(tt) - 1 >= min_intervals:
            d = np.diff(tt)
            if d.mean() > 0:
                cvs.append(d.std() / d.mean())
    return float(np.mean(cvs)) if cvs else float("nan")


def run_worker(args, make_group, name):
    import numpy as np
    import brian2 as b2
    from brian2 import ms, mV, nS, second

    b2.prefs.core.default_float_dtype = np.float64
    b2.set_device("cpp_standalone", build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = 0
    b2.defaultclock.dt = 0.1 * ms
    b2.seed(args.seed)
    P = make_group(b2)
    Pe, Pi = P[:3200], P[3200:]
    Ce = b2.Synapses(Pe, P, on_pre="ge += 6*nS")
    Ci = b2.Synapses(Pi, P, on_pre="gi += 67*nS")
    Ce.connect(p=0.02)
    Ci.connect(p=0.02)
    P.v = "-60*mV + (randn() * 5 - 5)*mV"
    P.ge = "(randn() * 1.5 + 4) * 10.*nS"
    P.gi = "(randn() * 12 + 20) * 10.*nS"
    mon = b2.SpikeMonitor(P)
    net = b2.Network(P, Ce, Ci, mon)
    net.run(args.duration * second)
    d = os.path.join(BUILD, f"{name}_standalone_T{args.duration:g}")
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
    counts = np.bincount(si, minlength=4000)
    outdeg = np.bincount(np.concatenate([np.asarray(Ce.i[:]), np.asarray(Ci.i[:]) + 3200]), minlength=4000)
    rates = counts / args.duration
    out = {"tool": "brian2", "brian2_version": b2.__version__, "model": name, "mode": "cpp_standalone",
           "duration_s": args.duration, "seed": args.seed, "build_s": build_s,
           "run_s": dev._last_run_time, "binary_s": binary_s, "binary_cpu_s": binary_cpu,
           "n_synapses": int(len(Ce) + len(Ci)), "n_spikes": int(counts.sum()),
           "mean_rate_hz": float(rates.mean()), "rate_exc_hz": float(rates[:3200].mean()),
           "rate_inh_hz": float(rates[3200:].mean()), "cv_isi": cv_isi(si, st, 4000),
           "syn_events": int((counts * outdeg).sum()), "loadavg1": os.getloadavg()[0]}
    print(json.dumps(out))


def driver(args, script):
    """One fresh process per seed (the first also compiles the project); prints each JSON line
    and a summary (min-max of rate and CV over seeds, median loop time)."""
    rows = []
    for s in [int(x) for x in args.seeds.split(",")]:
        p = subprocess.run([sys.executable, script, "--worker", "--seed", str(s), "--duration", str(args.duration)],
                           capture_output=True, text=True, cwd=HERE)
        if p.returncode != 0:
            sys.exit(p.stderr[-3000:])
        r = json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])
        rows.append(r)
        print(json.dumps(r), flush=True)
    rs = sorted(r["run_s"] for r in rows)
    print(json.dumps({"summary": rows[0]["model"], "duration_s": args.duration, "seeds": args.seeds,
                      "rate_hz": [min(r["mean_rate_hz"] for r in rows), max(r["mean_rate_hz"] for r in rows)],
                      "cv_isi": [min(r["cv_isi"] for r in rows), max(r["cv_isi"] for r in rows)],
                      "run_s_median": rs[len(rs) // 2], "run_s": [rs[0], rs[-1]]}))


def main(make_group=coba_group, name="coba", script=os.path.abspath(__file__)):
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=1.0, help="biological seconds")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--worker", action="store_true")
    args = ap.parse_args()
    if args.worker:
        run_worker(args, make_group, name)
    else:
        driver(args, script)


if __name__ == "__main__":
    main()
