#!/usr/bin/env python3
"""Brunel (2000) model A in NEST (iaf_psc_delta) with N threads, for the side-by-side
comparison with `synaptop bench brunel` (README, "Both cores for big networks").

Our own code, after NEST's `brunel_delta_nest.py` example, with the values of
`scenes/brunel.toml` at the paper's size. NEST from PyPI (`pip install nest-simulator`, 3.10):

    PYTHONPATH=/tmp/nestlib python brunel_nest.py --threads 2 --duration 1 --seed 1

Reported (one JSON line): build_s (nodes + connections), run_s (nest.Simulate, wall),
run_cpu_s (process CPU during Simulate), rates, Fano factor of 1 ms population counts over
the last second (synaptop's `fano`), synaptic events, load average before the run.
"""
import argparse
import json
import os
import resource
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--excitatory", type=int, default=10000)
    ap.add_argument("--epsilon", type=float, default=0.1)
    ap.add_argument("--j", type=float, default=0.1)
    ap.add_argument("--g", type=float, default=5.0)
    ap.add_argument("--eta", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    import numpy as np
    import nest
    nest.set_verbosity("M_ERROR")
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": 0.1, "local_num_threads": args.threads, "rng_seed": args.seed})
    ne = args.excitatory
    ni = ne // 4
    ce, ci = int(round(args.epsilon * ne)), int(round(args.epsilon * ni))
    tau, theta = 20.0, 20.0
    nu_th = theta / (args.j * ce * tau)  # kHz (tau in ms)
    p_rate = 1000.0 * args.eta * nu_th * ce  # Hz
    t0 = time.perf_counter()
    params = {"C_m": 1.0, "tau_m": tau, "t_ref": 2.0, "E_L": 0.0, "V_reset": 10.0, "V_th": theta, "V_m": 0.0}
    nodes_e = nest.Create("iaf_psc_delta", ne, params=params)
    nodes_i = nest.Create("iaf_psc_delta", ni, params=params)
    allnodes = nodes_e + nodes_i
    allnodes.V_m = nest.random.uniform(0.0, theta)
    noise = nest.Create("poisson_generator", params={"rate": p_rate})
    rec = nest.Create("spike_recorder")
    nest.CopyModel("static_synapse", "exc", {"weight": args.j, "delay": 1.5})
    nest.CopyModel("static_synapse", "inh", {"weight": -args.g * args.j, "delay": 1.5})
    nest.Connect(noise, allnodes, syn_spec="exc")
    nest.Connect(allnodes, rec)
    nest.Connect(nodes_e, allnodes, {"rule": "fixed_indegree", "indegree": ce}, "exc")
    nest.Connect(nodes_i, allnodes, {"rule": "fixed_indegree", "indegree": ci}, "inh")
    build_s = time.perf_counter() - t0
    load = os.getloadavg()[0]
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t1 = time.perf_counter()
    nest.Simulate(args.duration * 1000.0)
    run_s = time.perf_counter() - t1
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    ev = rec.get("events")
    senders = np.asarray(ev["senders"]) - allnodes[0].global_id
    times = np.asarray(ev["times"]) / 1000.0
    n = ne + ni
    counts = np.bincount(senders, minlength=n)
    rates = counts / args.duration
    last = times >= max(0.0, args.duration - 1.0)
    start_ms = int(round(max(0.0, args.duration - 1.0) * 1000))
    bins = np.bincount(np.minimum((times[last] * 1000).astype(np.int64) - start_ms, 999),
                       minlength=int(round(min(1.0, args.duration) * 1000)))
    fano = float(bins.var(ddof=1) / bins.mean()) if bins.mean() > 0 else float("nan")
    out = {"tool": "nest", "nest_version": nest.__version__, "model": "brunel", "threads": args.threads, "neurons": n,
           "g": args.g, "eta": args.eta, "duration_s": args.duration, "seed": args.seed, "build_s": build_s,
           "run_s": run_s, "run_cpu_s": (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime),
           "n_synapses": n * (ce + ci), "n_spikes": int(counts.sum()), "mean_rate_hz": float(rates.mean()),
           "rate_exc_hz": float(rates[:ne].mean()), "rate_inh_hz": float(rates[ne:].mean()), "fano": fano,
           "syn_events": int(counts.sum()) * n * (ce + ci) // n, "loadavg1": load}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
