import Testing
import SynCore
@testable import SynModels

/// NVRM (page 27): gradients at θ̄ + ε with the mean kept, and pair-flip label noise.
struct NVRMTests {
    func nvrm(_ b: Double, batch: Int = 8) -> NVRM {
        var v = RuleParameterValues(NVRM.parameters)
        v = v.setting(NVRM.noiseScale, to: b).setting(NVRM.eta, to: 0.05).setting(MLPParameter.batch, to: Double(batch))
        return NVRM(v)
    }

    func sim(_ rule: any MLPLearningRule, task: SupervisedTask = Tasks.digits(), seed: UInt64 = 2) -> MLPSimulation {
        let c = MLPSimulation.Config(sizes: [64, 16, 10], hidden: .relu, output: .softmax, rules: [rule], start: 0, uniformInit: true)
        return MLPSimulation(config: c, task: task, seed: seed)
    }

    /// With b = 0, NVRM is momentum SGD bit for bit (no draw, no perturbation).
    @Test func zeroNoiseIsMomentum() {
        var a = sim(nvrm(0)), b = sim(Momentum(eta: 0.05, mu: 0.9, batch: 8))
        a.advance(200)
        b.advance(200)
        #expect(a.net.params == b.net.params)
    }

    /// The gradient is taken at θ̄ + ε: one batch-1 update from θ̄ equals SGD-with-momentum's first
    /// step at the perturbed point, θ̄ − η ∇L(θ̄ + ε) (v starts at the first gradient).
    @Test func gradientIsTakenAtThePerturbedPoint() {
        let rule = nvrm(0.05, batch: 1)
        var s = sim(rule)
        let mean = s.net.params
        // Reproduce ε from the learner's stream: the first draw of the "rule" stream.
        var r = RNG(seed: 2).stream("rule")
        let eps = mean.indices.map { _ in Float(0.05) * r.normal() }
        var probe = s.net
        for k in probe.params.indices { probe.params[k] = mean[k] + eps[k] }
        var g = [Float](repeating: 0, count: mean.count + 1), noise = g
        let task = Tasks.digits()
        // The first sample the simulation trains on comes from its "order" stream.
        var order = SampleStream(count: task.train.count, rng: RNG(seed: 2).stream("order"))
        let i = order.next()
        task.train.x.storage.withUnsafeBufferPointer { xb in
            task.train.y.storage.withUnsafeBufferPointer { yb in
                guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                _ = Backprop(eta: 1).estimate(&probe, x: xp + i * 64, t: yp + i * 10, into: &g, scale: 1, noise: &noise, rng: &r)
            }
        }
        s.advance(1)
        var worst: Float = 0
        for k in mean.indices { worst = max(worst, abs(s.net.params[k] - (mean[k] - 0.05 * g[k]))) }
        #expect(worst < 1e-6, "max deviation \(worst)")
    }

    /// Measuring mid-batch puts θ̄ back and changes nothing: the same numbers as never measuring.
    @Test func measuringMidBatchChangesNothing() {
        var a = sim(nvrm(0.05)), b = a
        a.advance(101)
        _ = a.measure()
        a.advance(91)
        b.advance(192)
        _ = b.measure()
        #expect(a.net.params == b.net.params)
    }

    /// Pair flip: about `rate` of the training labels become y + 1 mod 10, all marked; the
    /// test split is untouched.
    @Test func pairFlipNoiseFlipsAndMarksTrainingLabels() {
        let clean = Tasks.digits()
        var rng = RNG(seed: 5)
        let noisy = clean.withPairFlipNoise(rate: 0.4, rng: &rng)
        let flipped = noisy.train.flipped.filter { $0 }.count
        #expect(abs(Double(flipped) / 1500 - 0.4) < 0.05)
        for i in 0..<1500 {
            let want = noisy.train.flipped[i] ? (clean.train.labels[i] + 1) % 10 : clean.train.labels[i]
            #expect(noisy.train.labels[i] == want)
            #expect(noisy.train.y[i, want] == 1)
        }
        #expect(noisy.test == clean.test)
    }

    /// The memorisation metrics appear with label noise and start near chance memorisation.
    @Test func memorisationMetricsAreReported() {
        var rng = RNG(seed: 5)
        var s = sim(nvrm(0.05), task: Tasks.digits().withPairFlipNoise(rate: 0.4, rng: &rng))
        let m = Dictionary(uniqueKeysWithValues: zip(s.metricNames, s.measure()))
        #expect(m["memorised_fraction"] != nil && (m["memorised_fraction"] ?? 1) < 0.3)
        #expect((m["loss_clean_rows"] ?? 0) > 1 && (m["loss_noisy_rows"] ?? 0) > 1)
    }
}
