import SynScenes
import SynModels

/// Spiking-network benchmarks: the CUBA network (group `cuba`) and Song et al. STDP (group
/// `stdp`), each at two biological durations, with the configurations of `scenes/cuba.toml`
/// and `scenes/stdp-song2000.toml` (the defaults of `LIFNetworkConfig` / `STDPNeuronConfig`).
/// Only `advance` is timed (network construction is excluded, as in Brian2's loop time).
///
/// Figures: `wall_s_per_bio_s` (wall seconds per simulated second), `syn_events_per_s`
/// (synaptic events per wall second: spikes x out-degree, plus post-spike updates x inputs for
/// STDP, as the peer scripts count them), `peak_mib` (peak resident memory of the process) and
/// `cpu_s_per_bio_s` (thread CPU seconds per simulated second: robust when other processes
/// compete for the cores, where wall time is not).
extension BenchSuite {
    public static var spikingCases: [BenchCase] {
        [cuba(seconds: 1, runs: 5), cuba(seconds: 10, runs: 3), stdp(seconds: 10, runs: 5), stdp(seconds: 100, runs: 3)]
    }

    static let spikingFigures = [BenchFigure("wall_s_per_bio_s", unit: "s/s"), BenchFigure("syn_events_per_s", unit: "1/s"),
                                 BenchFigure("peak_mib", unit: "MiB"), BenchFigure("cpu_s_per_bio_s", unit: "s/s")]

    /// Advances `sim` by `seconds` of network time (only this is timed) and returns the
    /// `spikingFigures` values; `events` reads its synaptic event count.
    static func spikingFigures<S: Simulation>(_ sim: inout S, seconds: Double, events: (S) -> Int) -> [Double] {
        let steps = Int((seconds / sim.dt).rounded())
        let cpu0 = threadCPUSeconds()
        let wall = BenchClock.seconds { sim.advance(steps) }
        let cpu = threadCPUSeconds() - cpu0
        return [wall / seconds, Double(events(sim)) / wall, BenchClock.peakMemoryMiB(), cpu / seconds]
    }

    static func cuba(seconds: Double, runs: Int) -> BenchCase {
        BenchCase(group: "cuba", name: "cuba_\(Int(seconds))s", figures: spikingFigures, runs: runs) {
            var sim = LIFNetworkSimulation(config: LIFNetworkConfig(), seed: 1)
            return spikingFigures(&sim, seconds: seconds) { $0.synapticEvents }
        }
    }

    static func stdp(seconds: Double, runs: Int) -> BenchCase {
        BenchCase(group: "stdp", name: "stdp_song2000_\(Int(seconds))s", figures: spikingFigures, runs: runs) {
            var sim = STDPNeuronSimulation(config: STDPNeuronConfig(), seed: 1)
            return spikingFigures(&sim, seconds: seconds) { $0.synapticEvents }
        }
    }
}
