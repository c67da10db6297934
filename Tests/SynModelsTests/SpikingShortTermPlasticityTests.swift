import Foundation
import Testing
@testable import SynModels

@Suite struct SpikingShortTermPlasticityTests {
    /// Releases r = u+ x- of a periodic train (interval in steps).
    static func train(_ p: TsodyksMarkramParameters, intervalSteps: Int, spikes: Int, dt: Double = 1e-4) -> [Double] {
        var stp = TsodyksMarkram(count: 1, parameters: p, dt: dt)
        return (0..<spikes).map { Double(stp.spike(0, step: $0 * intervalSteps)) * p.u0 }
    }

    /// Depression (tauF short): the first release is U, and a 20 Hz train settles on the
    /// analytic U (1 - e_d) / (1 - (1 - U) e_d) (tauF = 1 ms makes facilitation vanish between
    /// 50 ms spikes: e_f = e^-50).
    @Test func depressionSettlesOnTheAnalyticSteadyState() {
        let p = TsodyksMarkramParameters(u0: 0.5, tauD: 0.5, tauF: 0.001)
        let r = Self.train(p, intervalSteps: 500, spikes: 40)
        let ed = exp(-0.05 / 0.5)
        let want = 0.5 * (1 - ed) / (1 - 0.5 * ed)
        #expect(abs(r[0] - 0.5) < 1e-6)
        #expect(abs((r.last ?? 0) - want) < 1e-5, "steady release \(r.last ?? 0) vs \(want)")
        #expect(abs(p.steadyStateRelease(interval: 0.05) - want) < 1e-12)
        #expect(zip(r, r.dropFirst()).allSatisfy { $0 >= $1 }, "releases fall monotonically")
    }

    /// Facilitation (small U, long tauF, fast recovery): releases grow and settle on the
    /// general fixed point `steadyStateRelease` (u- = U e_f / (1 - (1 - U) e_f), ...).
    @Test func facilitationSettlesOnTheAnalyticSteadyState() {
        let p = TsodyksMarkramParameters(u0: 0.1, tauD: 0.05, tauF: 0.75)
        let r = Self.train(p, intervalSteps: 250, spikes: 80)
        let want = p.steadyStateRelease(interval: 0.025)
        #expect((r.last ?? 0) > 1.5 * r[0], "facilitating: \(r.prefix(4))")
        #expect(abs((r.last ?? 0) - want) < 1e-5, "steady release \(r.last ?? 0) vs \(want)")
    }

    /// After a long pause the synapse has recovered: u back to U, x back to 1.
    @Test func recoversAfterAPause() {
        let p = TsodyksMarkramParameters(u0: 0.3, tauD: 0.1, tauF: 0.1)
        var stp = TsodyksMarkram(count: 2, parameters: p, dt: 1e-4)
        for k in 0..<10 { _ = stp.spike(1, step: k * 100) }
        #expect(abs(stp.spike(1, step: 1_000_000) - 1) < 1e-5)
        #expect(abs(stp.spike(0, step: 5) - 1) < 1e-6, "neuron 0 is independent")
    }
}
