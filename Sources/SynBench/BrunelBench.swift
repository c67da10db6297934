import SynCore
import SynModels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The multi-threaded spiking core (`synaptop bench brunel`): Brunel's (2000) network at the
/// paper's size (12,500 neurons, 15.6 M synapses, regime C: g = 5, η = 2) for 1 s of network
/// time on 1 and 2 threads (the same bits either way), and the cost of one pool barrier.
///
/// Figures: `wall_s_per_bio_s`, `syn_events_per_s`, `rate_hz` (to compare with the Brian2
/// peer, `scripts/peers/brunel_brian2.py`), and `cpu_s_per_bio_s`: CPU seconds of the whole
/// process (every thread) per simulated second. On a loaded machine the wall time of the
/// 2-thread run suffers most (one barrier per step waits for the slower thread), so compare
/// wall times measured in the same sitting and quote the CPU figure next to them. Only
/// `advance` is timed (network construction is excluded, as Brian2's `run_s` excludes it).
extension BenchSuite {
    public static var brunelCases: [BenchCase] {
        [brunel(threads: 1), brunel(threads: 2), barrierCost(participants: 2)]
    }

    static let brunelFigures = [BenchFigure("wall_s_per_bio_s", unit: "s/s"), BenchFigure("syn_events_per_s", unit: "1/s"),
                                BenchFigure("rate_hz", unit: "Hz"), BenchFigure("cpu_s_per_bio_s", unit: "s/s")]

    static func brunel(threads: Int, seconds: Double = 1) -> BenchCase {
        BenchCase(group: "brunel", name: "n12500_t\(threads)", figures: brunelFigures, runs: 3) {
            var c = BrunelNetworkConfig()
            c.threads = threads
            var sim = BrunelNetworkSimulation(config: c, seed: 1)
            let steps = Int((seconds / sim.dt).rounded())
            let cpu0 = processCPUSeconds()
            let wall = BenchClock.seconds { sim.advance(steps) }
            let cpu = processCPUSeconds() - cpu0
            return [wall / seconds, Double(sim.synapticEvents) / wall, sim.measure()[0], cpu / seconds]
        }
    }

    /// Nanoseconds per barrier of a `participants`-thread pool doing nothing else: the
    /// synchronisation cost paid once per simulation step.
    static func barrierCost(participants: Int) -> BenchCase {
        BenchCase(group: "brunel", name: "barrier_p\(participants)", figures: [BenchFigure("ns_per_barrier", unit: "ns")], runs: 5) {
            let pool = WorkerPool(count: participants)
            let rounds = 100_000
            let wall = BenchClock.seconds { pool.run { _ in for _ in 0..<rounds { pool.barrier() } } }
            return [wall / Double(rounds) * 1e9]
        }
    }

    /// CPU seconds used by every thread of this process so far.
    static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
