import SynModels

/// Conductance-network benchmarks (Brette et al. 2007): COBA (group `coba`, LIF) and COBAHH
/// (group `cobahh`, Traub-Miles HH), with the configurations of `scenes/coba.toml` and
/// `scenes/cobahh.toml` (the defaults of `ConductanceNetworkConfig`) and the figures of the
/// CUBA bench (`spikingFigures`); only `advance` is timed.
extension BenchSuite {
    public static var conductanceCases: [BenchCase] {
        [coba(seconds: 1, runs: 5), coba(seconds: 10, runs: 3), cobahh(seconds: 1, runs: 5), cobahh(seconds: 10, runs: 3)]
    }

    static func coba(seconds: Double, runs: Int) -> BenchCase {
        BenchCase(group: "coba", name: "coba_\(Int(seconds))s", figures: spikingFigures, runs: runs) {
            var sim = ConductanceNetworkSimulation<ConductanceLIFGroup>(config: ConductanceNetworkConfig(), seed: 1)
            return spikingFigures(&sim, seconds: seconds) { $0.synapticEvents }
        }
    }

    static func cobahh(seconds: Double, runs: Int) -> BenchCase {
        BenchCase(group: "cobahh", name: "cobahh_\(Int(seconds))s", figures: spikingFigures, runs: runs) {
            var config = ConductanceNetworkConfig()
            config.neuron = TraubMilesHHGroup.name
            var sim = ConductanceNetworkSimulation<TraubMilesHHGroup>(config: config, seed: 1)
            return spikingFigures(&sim, seconds: seconds) { $0.synapticEvents }
        }
    }
}
