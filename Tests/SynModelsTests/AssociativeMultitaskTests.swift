import Testing
import SynCore
@testable import SynModels

/// Page 7: diluted archetypes in a Hopfield network are retrieved in parallel on the
/// (1 − d) d^{k−1} ladder; heat (Glauber T) melts retrieval.
@Suite struct AssociativeMultitaskTests {
    static func sortedMeans(_ config: MultitaskHopfield.Config, trials: Int) -> [Double] {
        var sim = MultitaskHopfield(config: config, seed: 2)
        sim.advance(config.sweeps * trials)
        return Array(sim.measure().prefix(config.patterns))
    }

    @Test func magnetisationsFollowTheLadderAtMildDilution() {
        let d = 0.3
        let m = Self.sortedMeans(.init(n: 800, patterns: 3, dilution: d, sweeps: 10), trials: 4)
        let ladder = [1 - d, d * (1 - d), d * d * (1 - d)]
        for k in 0..<3 { #expect(abs(m[k] - ladder[k]) < 0.06, "rank \(k + 1): \(m[k]) vs \(ladder[k])") }
    }

    @Test func hotGlauberDynamicsLoseTheRetrieval() {
        let m = Self.sortedMeans(.init(n: 800, patterns: 3, dilution: 0.3, temperature: 2, sweeps: 10), trials: 3)
        #expect(m[0] < 0.2)
    }

    @Test func oneBadExamplePerArchetypeFailsAndManyCleanOnesSucceed() {
        let bad = Self.sortedMeans(.init(n: 600, patterns: 3, dilution: 0.3, examples: 1, quality: 0.2, sweeps: 10), trials: 3)
        let good = Self.sortedMeans(.init(n: 600, patterns: 3, dilution: 0.3, examples: 30, quality: 0.6, sweeps: 10), trials: 3)
        #expect(bad[0] < 0.4)
        #expect(abs(good[0] - 0.7) < 0.08)
    }
}
