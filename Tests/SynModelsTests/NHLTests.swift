import Testing
import SynCore
@testable import SynModels

/// The NHL test-time-adaptation scene's pieces (science page 2): the entropy gradient of the
/// modulator, the SoftHebb update of the first layer, the re-estimated normalisation
/// statistics, and what the stream and its arms report.
@Suite struct NHLTests {
    /// A small build-B network with non-trivial statistics, modulator and biases, and a batch.
    static func smallNet(normalised: Bool = true) -> (NHLNetwork, Matrix) {
        var rng = RNG(seed: 11)
        var net = NHLNetwork(inputs: 5, hidden: 4, classes: 3, normalisation: normalised, rng: &rng)
        for j in 0..<4 {
            net.gamma[j] = 1 + 0.3 * rng.normal()
            net.beta[j] = 0.2 * rng.normal()
            net.b1[j] = 0.1 * rng.normal()
        }
        for j in 0..<3 { net.b2[j] = 0.1 * rng.normal() }
        let x = Matrix(rows: 6, cols: 5) { _, _ in rng.uniform(0, 1) }
        let calibration = Matrix(rows: 8, cols: 5) { _, _ in rng.uniform(0, 1.2) }
        for t in net.w2.storage.indices { net.w2.storage[t] *= 3 }
        if var stats = net.statistics {
            stats.update(with: net.preActivation(calibration))
            net.statistics = stats
        }
        return (net, x)
    }

    /// ∂H/∂γ_j and ∂H/∂β_j (H the batch-mean prediction entropy, running statistics) match
    /// central differences of H, in build B and in build A.
    @Test(arguments: [true, false])
    func entropyGradientOfTheModulatorMatchesFiniteDifferences(_ normalised: Bool) {
        let (net, x) = Self.smallNet(normalised: normalised)
        let pass = net.forward(x)
        let g = net.backward(pass, outputError: NHLNetwork.entropy(pass).outputError, throughNormalisation: false)
        func entropy(_ n: NHLNetwork) -> Double { Double(NHLNetwork.entropy(n.forward(x)).entropy) }
        // Small steps: a hidden unit at its ReLU kink would bend a wider difference.
        let eps: Float = 2e-3
        var checked = 0
        for j in 0..<4 {
            for (analytic, param) in [(g.gamma[j], 0), (g.beta[j], 1)] {
                var p = net, m = net
                if param == 0 { p.gamma[j] += eps; m.gamma[j] -= eps } else { p.beta[j] += eps; m.beta[j] -= eps }
                let numeric = (entropy(p) - entropy(m)) / Double(2 * eps)
                #expect(abs(Double(analytic) - numeric) <= 0.02 * abs(numeric) + 2e-4, "unit \(j) param \(param): analytic \(analytic), numeric \(numeric)")
                if abs(numeric) > 1e-3 { checked += 1 }
            }
        }
        #expect(checked >= 4, "too few non-zero components to test: \(g.gamma), \(g.beta)")
    }

    /// Source training backpropagates through batch statistics: the gradient of the
    /// cross-entropy matches central differences for W1, W2, γ and β, and ∂L/∂b1 vanishes (the
    /// batch mean removes any shift of z).
    @Test func crossEntropyGradientThroughBatchNormalisationMatchesFiniteDifferences() {
        let (net, x) = Self.smallNet()
        let labels = [0, 2, 1, 1, 0, 2]
        let pass = net.forward(x, statistics: .batch)
        let g = net.backward(pass, outputError: NHLNetwork.crossEntropy(pass, labels: labels).outputError)
        func loss(_ n: NHLNetwork) -> Double { Double(NHLNetwork.crossEntropy(n.forward(x, statistics: .batch), labels: labels).loss) }
        let eps: Float = 1e-2
        func check(_ analytic: Float, _ perturb: (inout NHLNetwork, Float) -> Void) {
            var p = net, m = net
            perturb(&p, eps); perturb(&m, -eps)
            let numeric = (loss(p) - loss(m)) / Double(2 * eps)
            #expect(abs(Double(analytic) - numeric) <= 0.03 * abs(numeric) + 3e-4, "analytic \(analytic), numeric \(numeric)")
        }
        for t in [0, 7, 13, 19] { check(g.w1.storage[t]) { $0.layer.weights.storage[t] += $1 } }
        for t in [1, 6, 11] { check(g.w2.storage[t]) { $0.w2.storage[t] += $1 } }
        for j in 0..<4 {
            check(g.gamma[j]) { $0.gamma[j] += $1 }
            check(g.beta[j]) { $0.beta[j] += $1 }
            #expect(abs(g.b1[j]) < 1e-5)
        }
    }

    /// The first layer's SoftHebb step on a hand case: W = I (2 x 2), x = (1, 0.5), τ = 1,
    /// η = 0.1: u = (1, 0.5), y = softmax(u) = (0.622459, 0.377541),
    /// Δw_0 = 0.1 y_0 (x − 1 w_0) = (0, 0.0311230), Δw_1 = 0.1 y_1 (x − 0.5 w_1) = (0.0377541, 0).
    @Test func hebbianUpdateFollowsTheSoftHebbEquation() {
        var rng = RNG(seed: 1)
        var net = NHLNetwork(inputs: 2, hidden: 2, classes: 2, normalisation: false, rng: &rng)
        net.layer.weights = Matrix(rows: 2, cols: 2, storage: [1, 0, 0, 1])
        net.hebbianUpdate(Matrix(rows: 1, cols: 2, storage: [1, 0.5]), eta: 0.1, temperature: 1)
        let want: [Float] = [1, 0.0311230, 0.0377541, 1]
        for (got, w) in zip(net.layer.weights.storage, want) { #expect(abs(got - w) < 1e-6, "\(net.layer.weights.storage)") }
        // A temperature of 0.5 sharpens the competition: y_0 = σ(1) = 0.731059.
        net.layer.weights = Matrix(rows: 2, cols: 2, storage: [1, 0, 0, 1])
        net.hebbianUpdate(Matrix(rows: 1, cols: 2, storage: [1, 0.5]), eta: 0.1, temperature: 0.5)
        #expect(abs(net.layer.weights.storage[1] - 0.1 * 0.731059 * 0.5) < 1e-6)
    }

    /// Re-estimated statistics against numpy: batches [[1, 2], [3, 6]] then [[5, -2]] give
    /// np.mean = (3, 2) and np.var = (8/3, 32/3) of the three rows (floor 0); with floor 0.5 the
    /// second batch weighs 1/2: mean (3.5, 1), E[z²] = (15, 12), var = (2.75, 11).
    @Test func statisticsReestimationMatchesNumpyValues() {
        let b1 = Matrix(rows: 2, cols: 2, storage: [1, 2, 3, 6]), b2 = Matrix(rows: 1, cols: 2, storage: [5, -2])
        var s = NormalisationStatistics(units: 2)
        #expect(s.mean == [0, 0] && s.variance == [1, 1])
        s.update(with: b1)
        #expect(s.mean == [2, 4] && s.variance == [1, 4])
        s.update(with: b2)
        #expect(abs(s.mean[0] - 3) < 1e-6 && abs(s.mean[1] - 2) < 1e-6)
        #expect(abs(s.variance[0] - 8.0 / 3) < 1e-5 && abs(s.variance[1] - 32.0 / 3) < 1e-5)
        let (m, v) = NormalisationStatistics.moments(of: b1)
        #expect(m == [2, 4] && v == [1, 4])

        var f = NormalisationStatistics(units: 2)
        f.update(with: b1, floor: 0.5)
        f.update(with: b2, floor: 0.5)
        #expect(abs(f.mean[0] - 3.5) < 1e-6 && abs(f.mean[1] - 1) < 1e-6)
        #expect(abs(f.variance[0] - 2.75) < 1e-5 && abs(f.variance[1] - 11) < 1e-5)

        // After a restart the next batch replaces the estimate.
        f.restart()
        f.update(with: b2, floor: 0.5)
        #expect(f.mean == [5, -2] && f.variance == [0, 0])
    }

    static func simulation(build: NHLSimulation.Build) -> NHLSimulation {
        let rules: [any TestTimeAdaptationRule] = TestTimeRules.registry.rules.map { $0.makeDefault() }
        let config = NHLSimulation.Config(sourceEpochs: 5, build: build, rules: rules)
        return NHLSimulation(config: config, seed: 3, digits: Digits.all())
    }

    /// On the clean stream (the control) the source arm's running accuracy after one pass is
    /// the source network's accuracy on the held-out digits, `clean_acc`, exactly: every
    /// held-out digit is streamed once.
    @Test func sourceArmOnTheCleanStreamScoresTheCleanAccuracyAfterOnePass() {
        var sim = Self.simulation(build: .normalised)
        #expect(sim.setControl("stream", to: 1) == nil)
        sim.advance(sim.batchesPerPass)
        let m = Dictionary(uniqueKeysWithValues: zip(sim.metricNames, sim.measure()))
        #expect(m["acc_source"] == m["clean_acc"])
        #expect((m["clean_acc"] ?? 0) > 0.8)
        #expect(sim.events.map(\.label) == ["clean stream"])
    }

    /// Build A has no normalisation: the statistics-only arm is undefined (NaN), the others are
    /// measured; the source arm changes nothing (zero drift of W1 and of the modulator).
    @Test func statisticsArmIsUndefinedWithoutNormalisation() {
        var sim = Self.simulation(build: .plain)
        sim.advance(2)
        let m = Dictionary(uniqueKeysWithValues: zip(sim.metricNames, sim.measure()))
        #expect(m["acc_stats"]?.isNaN == true && m["entropy_stats"]?.isNaN == true)
        for r in ["source", "entropy", "hebb", "nhl"] { #expect(m["acc_\(r)"]?.isFinite == true, "\(r)") }
        #expect(sim.activeRule == 0 && m["w1_drift"] == 0 && m["modulator_drift"] == 0)
    }

    /// The Tent failure mode and its guard rail: after one pass at η_m = 25 the entropy arm's
    /// batch entropy is near 0 and its accuracy below the source's by far, while at the
    /// default η_m = 0.05 it stays within a point of the statistics arm (build B).
    @Test func entropyOnlyCollapsesAtALargeModulatorRateOnly() {
        var small = Self.simulation(build: .normalised), large = small
        #expect(large.setControl("eta_m", to: 25) == nil)
        small.advance(small.batchesPerPass)
        large.advance(large.batchesPerPass)
        let s = Dictionary(uniqueKeysWithValues: zip(small.metricNames, small.measure()))
        let l = Dictionary(uniqueKeysWithValues: zip(large.metricNames, large.measure()))
        #expect((l["entropy_entropy"] ?? 1) < 0.1)
        #expect((l["acc_entropy"] ?? 1) < (l["acc_source"] ?? 0) - 0.2)
        #expect(abs((s["acc_entropy"] ?? 0) - (s["acc_stats"] ?? 1)) < 0.01)
        #expect(l["acc_stats"] == s["acc_stats"], "eta_m must not touch the statistics arm")
    }
}
