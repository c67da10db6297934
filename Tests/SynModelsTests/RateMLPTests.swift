import Testing
import SynCore
@testable import SynModels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shared helpers for the rate-network tests.
enum RateTestSupport {
    /// Test accuracy of `net` on a task set (classification).
    static func accuracy(_ net: inout MLP, _ set: TaskSet) -> Double {
        var correct = 0
        for i in 0..<set.count {
            _ = net.predict(set.x.row(i))
            if net.argmaxOutput() == set.labels[i] { correct += 1 }
        }
        return Double(correct) / Double(set.count)
    }

    /// Trains `samples` online samples with `rule`; returns the learner.
    @discardableResult
    static func train(_ net: inout MLP, _ task: SupervisedTask, rule: any MLPLearningRule, samples: Int, seed: UInt64) -> MLPLearner {
        var learner = MLPLearner(rule: rule, layout: net.layout, rng: RNG(seed: seed).stream("rule"))
        var stream = SampleStream(count: task.train.count, rng: RNG(seed: seed).stream("order"))
        let set = task.train
        for _ in 0..<samples {
            let i = stream.next()
            set.x.storage.withUnsafeBufferPointer { xb in
                set.y.storage.withUnsafeBufferPointer { yb in
                    guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                    _ = learner.train(&net, x: xp + i * set.inputs, t: yp + i * set.outputs)
                }
            }
        }
        return learner
    }

    /// The backprop gradient of the loss of sample (x, t) as a flat vector.
    static func gradient(_ net: inout MLP, _ x: [Float], _ t: [Float]) -> [Float] {
        var g = [Float](repeating: 0, count: net.layout.paramCount + 1)
        var noise = g
        var rng = RNG(seed: 0)
        let rule = Backprop(eta: 1)
        x.withUnsafeBufferPointer { xb in t.withUnsafeBufferPointer { tb in
            guard let xp = xb.baseAddress, let tp = tb.baseAddress else { return }
            _ = rule.estimate(&net, x: xp, t: tp, into: &g, scale: 1, noise: &noise, rng: &rng)
        } }
        return Array(g.prefix(net.layout.paramCount))
    }

    static func loss(_ net: inout MLP, _ x: [Float], _ t: [Float]) -> Double {
        x.withUnsafeBufferPointer { xb in t.withUnsafeBufferPointer { tb in
            guard let xp = xb.baseAddress, let tp = tb.baseAddress else { return .nan }
            return Double(net.loss(xp, tp))
        } }
    }
}

@Suite struct RateMLPTests {
    @Test func vectorTanhMatchesLibmWithin5e7() {
        var worst: Double = 0
        var x: Float = -12
        while x <= 12 {
            worst = max(worst, abs(Double(RateKernels.tanh1(x)) - tanh(Double(x))))
            x += 0.001
        }
        #expect(worst < 5e-7)
    }

    @Test func kernelsMatchNaiveLoopsOnOddSizes() {
        var rng = RNG(seed: 3)
        for (rows, cols) in [(1, 1), (5, 13), (7, 17), (4, 8), (10, 100)] {
            let w = (0..<(rows * cols)).map { _ in rng.normal() }
            let x = (0..<cols).map { _ in rng.normal() }
            let d = (0..<rows).map { _ in rng.normal() }
            var y = [Float](repeating: 0, count: rows)
            var yt = [Float](repeating: 0, count: cols)
            var wu = w
            w.withUnsafeBufferPointer { wb in x.withUnsafeBufferPointer { xb in d.withUnsafeBufferPointer { db in
                y.withUnsafeMutableBufferPointer { yb in yt.withUnsafeMutableBufferPointer { ytb in wu.withUnsafeMutableBufferPointer { wub in
                    RateKernels.gemv(wb.baseAddress!, rows: rows, cols: cols, xb.baseAddress!, bias: nil, into: yb.baseAddress!)
                    RateKernels.gemvT(wb.baseAddress!, rows: rows, cols: cols, db.baseAddress!, into: ytb.baseAddress!)
                    RateKernels.ger(0.5, db.baseAddress!, xb.baseAddress!, wub.baseAddress!, rows: rows, cols: cols)
                } } }
            } } }
            for r in 0..<rows {
                var s: Float = 0
                for c in 0..<cols { s += w[r * cols + c] * x[c] }
                #expect(abs(y[r] - s) < 1e-4)
                for c in 0..<cols { #expect(abs(wu[r * cols + c] - (w[r * cols + c] + 0.5 * d[r] * x[c])) < 1e-5) }
            }
            for c in 0..<cols {
                var s: Float = 0
                for r in 0..<rows { s += w[r * cols + c] * d[r] }
                #expect(abs(yt[c] - s) < 1e-4)
            }
        }
    }

    /// dL/dtheta from backprop equals the central difference (L(theta+h) - L(theta-h)) / 2h
    /// for every parameter, for each hidden activation and both losses (h = 1e-2 in Float32;
    /// truncation error O(h^2) ~ 1e-4 and rounding ~ 1e-5, so tolerance 2e-3 relative).
    @Test(arguments: [Activation.tanh, .sigmoid, .softplus, .linear, .relu, .gelu])
    func backpropGradientEqualsCentralFiniteDifference(_ act: Activation) {
        var rng = RNG(seed: 11).stream(act.rawValue)
        for output in [Activation.softmax, .tanh] {
            var net = MLP(sizes: [3, 5, 4, 3], hidden: act, output: output, rng: &rng)
            let x: [Float] = [0.3, -0.7, 0.9]
            let t: [Float] = output == .softmax ? [0, 1, 0] : [0.2, -0.4, 0.5]
            let g = RateTestSupport.gradient(&net, x, t)
            let h: Float = 1e-2
            var maxErr = 0.0, scale = 0.0
            for i in 0..<net.layout.paramCount {
                let w0 = net.params[i]
                net.params[i] = w0 + h
                let lp = RateTestSupport.loss(&net, x, t)
                net.params[i] = w0 - h
                let lm = RateTestSupport.loss(&net, x, t)
                net.params[i] = w0
                let fd = (lp - lm) / (2 * Double(h))
                // ReLU: skip parameters whose perturbation crosses a kink (FD undefined there).
                if act == .relu && abs(fd - Double(g[i])) > 0.05 { continue }
                maxErr = max(maxErr, abs(fd - Double(g[i])))
                scale = max(scale, abs(fd))
            }
            #expect(scale > 1e-2)
            #expect(maxErr < 2e-3 * max(1, scale), "activation \(act), output \(output): max error \(maxErr)")
        }
    }

    /// GELU(z) = z Phi(z): Phi(1) = 0.8413447461, so GELU(1) = 0.8413447461, GELU(-1) =
    /// -(1 - Phi(1)) = -0.1586552539, GELU(0) = 0; GELU'(0) = Phi(0) = 1/2 and
    /// GELU'(1) = Phi(1) + phi(1) = 0.8413447461 + 0.2419707245.
    @Test func geluMatchesTheNormalCDFForm() {
        let z: [Float] = [-1, 0, 1]
        var a = [Float](repeating: 0, count: 3)
        Activation.gelu.apply(z, &a, 3)
        #expect(abs(a[0] + 0.1586552539) < 1e-6 && a[1] == 0 && abs(a[2] - 0.8413447461) < 1e-6)
        var d: [Float] = [1, 1, 1]
        Activation.gelu.multiplyDerivative(z, a, &d, 3)
        #expect(abs(d[1] - 0.5) < 1e-7)
        #expect(abs(d[2] - (0.8413447461 + 0.2419707245)) < 1e-6)
        #expect(abs(d[0] - (0.1586552539 - 0.2419707245)) < 1e-6)
    }

    @Test func onlineBackpropLearnsDigitsInOneEpoch() {
        let task = Tasks.digits()
        var rng = RNG(seed: 1).stream("init")
        var net = MLP(sizes: [64, 100, 10], hidden: .tanh, output: .softmax, rng: &rng)
        let before = RateTestSupport.accuracy(&net, task.test)
        RateTestSupport.train(&net, task, rule: Backprop(eta: 0.02), samples: 1500, seed: 1)
        let after = RateTestSupport.accuracy(&net, task.test)
        #expect(before < 0.3)
        #expect(after > 0.85, "test accuracy after one epoch: \(after)")
    }

    @Test func feedbackAlignmentLearnsDigits() {
        let task = Tasks.digits()
        var rng = RNG(seed: 2).stream("init")
        var net = MLP(sizes: [64, 100, 10], hidden: .tanh, output: .softmax, rng: &rng)
        RateTestSupport.train(&net, task, rule: FeedbackAlignment(eta: 0.02), samples: 3000, seed: 2)
        let acc = RateTestSupport.accuracy(&net, task.test)
        #expect(acc > 0.8, "test accuracy after two epochs of feedback alignment: \(acc)")
    }
}

@Suite struct RateRuleTests {
    static func smallNet(_ seed: UInt64) -> MLP {
        var rng = RNG(seed: seed)
        return MLP(sizes: [6, 8, 3], hidden: .tanh, output: .softmax, rng: &rng)
    }

    /// For random xi, cos((xi . g) xi, g) = |cos(xi, g)|, whose mean over xi in n dimensions is
    /// about sqrt(2 / (pi n)) (n = 83 here: 0.088). The mean over 400 single-sample estimates must
    /// lie within 25 % of it (its sampling sd is ~ 0.06/sqrt(400) = 0.003).
    @Test func weightPerturbationAlignmentIsAboutOneOverSqrtParams() {
        var net = Self.smallNet(1)
        let x: [Float] = [0.5, -0.2, 0.9, 0.1, -0.7, 0.3], t: [Float] = [0, 0, 1]
        let g = RateTestSupport.gradient(&net, x, t)
        let n = net.layout.paramCount
        let rule = WeightPerturbation(eta: 1, sigma: 1e-3)
        var rng = RNG(seed: 2)
        var sum = 0.0
        let trials = 400
        for _ in 0..<trials {
            var est = [Float](repeating: 0, count: n + 1), noise = est
            x.withUnsafeBufferPointer { xb in t.withUnsafeBufferPointer { tb in
                _ = rule.estimate(&net, x: xb.baseAddress!, t: tb.baseAddress!, into: &est, scale: 1, noise: &noise, rng: &rng)
            } }
            sum += cosineSimilarity(Array(est.prefix(n)), g)
        }
        let mean = sum / Double(trials)
        let expected = (2 / (Double.pi * Double(n))).squareRoot()
        #expect(abs(mean - expected) < 0.25 * expected, "mean alignment \(mean), expected ~\(expected)")
    }

    /// Node perturbation is unbiased: averaged over many perturbations its estimate points
    /// along the gradient (cosine > 0.9 after 2000 draws), although single draws do not.
    @Test func nodePerturbationAveragesToTheGradient() {
        var net = Self.smallNet(3)
        let x: [Float] = [0.5, -0.2, 0.9, 0.1, -0.7, 0.3], t: [Float] = [0, 1, 0]
        let g = RateTestSupport.gradient(&net, x, t)
        let n = net.layout.paramCount
        let rule = NodePerturbation(eta: 1, sigma: 1e-2)
        var rng = RNG(seed: 4)
        var est = [Float](repeating: 0, count: n + 1), noise = est
        for _ in 0..<2000 {
            x.withUnsafeBufferPointer { xb in t.withUnsafeBufferPointer { tb in
                _ = rule.estimate(&net, x: xb.baseAddress!, t: tb.baseAddress!, into: &est, scale: 1, noise: &noise, rng: &rng)
            } }
        }
        #expect(cosineSimilarity(Array(est.prefix(n)), g) > 0.9)
    }

    @Test func exponentiatedGradientKeepsEveryWeightsSign() {
        let task = Tasks.digits()
        var rng = RNG(seed: 5)
        var net = MLP(sizes: [64, 20, 10], hidden: .tanh, output: .softmax, rng: &rng)
        let lay = net.layout
        func weightSigns(_ n: MLP) -> [Bool] {
            (0..<lay.layers).flatMap { l in (0..<lay.weightCount(l)).map { n.params[lay.wOffset[l] + $0] > 0 } }
        }
        let before = weightSigns(net)
        let w0 = net.params
        let rule = ExponentiatedGradient(eta: 0.05)
        RateTestSupport.train(&net, task, rule: rule, samples: 1500, seed: 5)
        #expect(weightSigns(net) == before)
        #expect(net.params != w0)
        #expect(RateTestSupport.accuracy(&net, task.test) > 0.7)
    }

    @Test func directFeedbackAlignmentMomentumAndAdamLearnBlobs() {
        var r = RNG(seed: 6)
        let task = Tasks.blobs(count: 300, dims: 4, classes: 3, spread: 3, rng: &r)
        let rules: [any MLPLearningRule] = [DirectFeedbackAlignment(eta: 0.05), Momentum(eta: 0.005, mu: 0.9, batch: 4),
                                            Adam(eta: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)]
        for rule in rules {
            var rng = RNG(seed: 7)
            var net = MLP(sizes: [4, 16, 16, 3], hidden: .relu, output: .softmax, rng: &rng)
            RateTestSupport.train(&net, task, rule: rule, samples: 1200, seed: 8)
            let acc = RateTestSupport.accuracy(&net, task.test)
            #expect(acc > 0.85, "\(rule.name): \(acc)")
        }
    }

    /// Curl descent with no flipped unit is exactly backprop; flipping units changes the update.
    @Test func curlWithoutFlipsEqualsBackprop() {
        var a = Self.smallNet(9), b = a
        let x: [Float] = [0.5, -0.2, 0.9, 0.1, -0.7, 0.3], t: [Float] = [0, 1, 0]
        var la = MLPLearner(rule: Backprop(eta: 0.1), layout: a.layout, rng: RNG(seed: 1))
        var lb = MLPLearner(rule: CurlDescent(eta: 0.1), layout: b.layout, rng: RNG(seed: 1))
        x.withUnsafeBufferPointer { xb in t.withUnsafeBufferPointer { tb in
            _ = la.train(&a, x: xb.baseAddress!, t: tb.baseAddress!)
            _ = lb.train(&b, x: xb.baseAddress!, t: tb.baseAddress!)
        } }
        #expect(a.params == b.params)
        b.presynapticSign[b.layout.aOffset[1]] = -1
        x.withUnsafeBufferPointer { xb in t.withUnsafeBufferPointer { tb in
            _ = la.train(&a, x: xb.baseAddress!, t: tb.baseAddress!)
            _ = lb.train(&b, x: xb.baseAddress!, t: tb.baseAddress!)
        } }
        #expect(a.params != b.params)
    }
}

@Suite struct HopfieldTests {
    static func meanRecall(n: Int, patterns: Int, units: Hopfield.Units, trials: Int) -> Double {
        var sim = HopfieldSimulation(config: .init(n: n, units: units, patterns: patterns, maxPatterns: patterns,
                                                   corruption: 0.1, sweeps: 8), seed: 3)
        _ = sim.measure()
        sim.advance(8 * trials)
        return sim.measure()[0]
    }

    /// Load 0.05 (far below the capacity 0.138): the corrupted cue is cleaned up (overlap > 0.98;
    /// graded tanh(4 h) units: > 0.95). Load 0.4 (far above): recall fails (overlap < 0.6).
    @Test func recallsBelowCapacityAndFailsWellAbove() {
        #expect(Self.meanRecall(n: 200, patterns: 10, units: .binary, trials: 10) > 0.98)
        #expect(Self.meanRecall(n: 200, patterns: 10, units: .continuous(gain: 4), trials: 10) > 0.95)
        #expect(Self.meanRecall(n: 200, patterns: 80, units: .binary, trials: 10) < 0.6)
    }

    @Test func storedPatternIsAFixedPointAndEnergyNeverRises() {
        var rng = RNG(seed: 1)
        let p = Matrix(rows: 3, cols: 64) { _, _ in rng.next() & 1 == 0 ? 1 : -1 }
        var net = Hopfield(n: 64, units: .binary)
        net.store(p)
        #expect(net.weights[0] == 0 && net.weights[65] == 0)
        net.state = p.row(1)
        var order = Array(0..<64)
        #expect(net.sweep(order: &order, rng: &rng) == 0)
        #expect(net.overlap(with: p, 1) == 1)
        for i in 0..<64 where rng.bernoulli(0.3) { net.state[i] = -net.state[i] }
        var e = net.energy()
        for i in 0..<64 {
            net.update(i)
            let e2 = net.energy()
            #expect(e2 <= e + 1e-9)
            e = e2
        }
    }
}
