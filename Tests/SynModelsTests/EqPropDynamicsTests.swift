import Testing
import SynCore
@testable import SynModels

/// The paper's gradient relaxation dynamics, the energy it descends, the random-sign nudge and
/// the gradient-length probe (page 6 of the science notes).
@Suite struct EqPropDynamicsTests {
    static let x: [Float] = [0.2, 0.8, 0.5, 0.9]
    static let t: [Float] = [0, 1, 0]

    static func withPointers<R>(_ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> R) -> R {
        x.withUnsafeBufferPointer { xb in t.withUnsafeBufferPointer { tb in
            guard let xp = xb.baseAddress, let tp = tb.baseAddress else { preconditionFailure("non-empty") }
            return body(xp, tp)
        } }
    }

    /// Projected gradient steps never raise F (step below 1 / Lipschitz constant) and reach the
    /// fixed point of the exact block sweeps, free and nudged.
    @Test(arguments: [Float(0), 0.5])
    func gradientDynamicsDescendTheEnergyToTheSweepsFixedPoint(beta: Float) {
        var a = RateEqPropTests.net(), b = a
        Self.withPointers { xp, tp in
            a.reset(input: xp)
            b.reset(input: xp)
            var last = a.energy(beta: beta, target: tp)
            for _ in 0..<600 {
                a.gradientStep(beta: beta, target: tp, epsilon: 0.2)
                let e = a.energy(beta: beta, target: tp)
                #expect(e <= last + 1e-5)
                last = e
            }
            for _ in 0..<200 { b.sweep(beta: beta, target: tp) }
        }
        let gap = zip(a.state, b.state).map { abs($0 - $1) }.max() ?? 1
        #expect(gap < 1e-4)
    }

    /// One gradient step by hand on a 1-1-1 chain: s1 <- clip(s1 + eps (w0 x + w1 s2 + b0 - s1)),
    /// s2 <- clip(s2 + eps (w1 s1 + b1 - s2 + beta (t - s2))), both from the previous states.
    @Test func oneGradientStepByHand() {
        var rng = RNG(seed: 1)
        var n = EqPropNetwork(sizes: [1, 1, 1], rng: &rng)
        let lay = n.layout
        n.params[lay.wOffset[0]] = 0.8; n.params[lay.bOffset[0]] = 0.1
        n.params[lay.wOffset[1]] = 0.5; n.params[lay.bOffset[1]] = -0.2
        let x: [Float] = [0.6], t: [Float] = [1]
        x.withUnsafeBufferPointer { xb in t.withUnsafeBufferPointer { tb in
            guard let xp = xb.baseAddress, let tp = tb.baseAddress else { return }
            n.reset(input: xp)
            n.state = [0.3, 0.4]
            n.gradientStep(beta: 0.5, target: tp, epsilon: 0.5)
            // s1: 0.3 + 0.5 (0.48 + 0.2 + 0.1 - 0.3) = 0.54; s2: 0.4 + 0.5 (0.15 - 0.2 - 0.4 + 0.3) = 0.325.
            #expect(abs(n.state[0] - 0.54) < 1e-6)
            #expect(abs(n.state[1] - 0.325) < 1e-6)
            // F at the new state: 1/2 (s1^2 + s2^2) - s1 (w0 x + b0) - s2 (w1 s1 + b1) + beta/2 (s2 - t)^2.
            let s1 = 0.54, s2 = 0.325
            let f = 0.5 * (s1 * s1 + s2 * s2) - s1 * (0.48 + 0.1) - s2 * (0.5 * s1 - 0.2) + 0.25 * (s2 - 1) * (s2 - 1)
            #expect(abs(Double(n.energy(beta: 0.5, target: tp)) - f) < 1e-6)
        } }
    }

    static func digitsSimulation(epsilon: Float? = nil, randomSign: Bool = false, relax: Int = 20) -> EqPropSimulation {
        let config = EqPropSimulation.Config(sizes: [64, 16, 10], rules: [EqPropPositive(beta: 0.2, eta: 0.05)], start: 0,
                                             relaxSteps: relax, gain: 0.5, bias: 0.1, epsilon: epsilon, randomSign: randomSign)
        return EqPropSimulation(config: config, task: Tasks.digits(), seed: 4)
    }

    /// With `random_sign` the nudge of each sample is +beta or -beta from its own stream (both
    /// occur, about half each, the same sequence for the same seed); without it always +beta.
    @Test func randomSignDrawsTheNudgeSignPerSample() {
        func signs(_ random: Bool) -> [Double] {
            var sim = Self.digitsSimulation(randomSign: random, relax: 2)
            var out: [Double] = []
            for _ in 0..<60 {
                sim.advance(2)  // free phase done: now in the nudged phase
                out.append(sim.probe().first { $0.name == "beta" }?.value ?? 0)
                sim.advance(2)
            }
            return out
        }
        let a = signs(true)
        #expect(a == signs(true))
        let negative = a.filter { $0 < 0 }.count
        #expect(negative > 15 && negative < 45)
        #expect(Set(a.map { abs($0) }).count == 1)
        #expect(signs(false).allSatisfy { $0 > 0 })
    }

    /// grad_ratio is the length of the EP estimate over the true gradient's: near 1 for a small
    /// beta with exact relaxation; the run's rows carry it next to grad_cosine.
    @Test func gradientRatioIsNearOneForSmallBeta() {
        var sim = Self.digitsSimulation(relax: 60)
        _ = sim.setControl("beta", to: 0.01)
        let p = sim.gradientProbe(samples: 20)
        #expect(p.cosine > 0.95)
        #expect(abs(p.ratio - 1) < 0.1)
        #expect(sim.metricNames.suffix(2) == ["grad_cosine", "grad_ratio"])
        let row = sim.measure()
        #expect(row.count == sim.metricNames.count)
    }

    /// The energy view replays the sample in flight: it holds one point per relaxation step plus
    /// one per phase start, and never rises within the free phase.
    @Test(arguments: [nil, Float(0.5)])
    func energyTraceReplaysTheSampleInFlight(epsilon: Float?) {
        var sim = Self.digitsSimulation(epsilon: epsilon, relax: 20)
        sim.advance(20 * 2 * 3 + 27)  // 3 samples done, then 7 sweeps into the nudged phase
        let trace = sim.energyTrace()
        #expect(trace.count == (20 + 1) + (7 + 1))
        for k in 1...20 { #expect(trace[k] <= trace[k - 1] + 1e-4) }
        if case .traces(let v)? = sim.views()["energy"] { #expect(v.series.first == trace) } else { Issue.record("no energy view") }
    }
}
