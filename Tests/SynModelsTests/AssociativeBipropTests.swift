import Foundation
import Testing
import SynCore
@testable import SynModels

/// Bidirectional learning (page 1): the FGSM probe, the noise-confidence ratio and the biprop
/// update on a 2-2-2 network, all against values worked out by hand from the page's equations.
@Suite struct AssociativeBipropTests {
    // The paper's matrices: x W1 (P x L = 2 x 2), h W2 (L x K = 2 x 2).
    static let w1: [[Double]] = [[0.5, -0.3], [0.2, 0.8]]
    static let w2: [[Double]] = [[0.7, -0.4], [-0.6, 0.9]]
    static let b1: [Double] = [0.1, -0.2], b2: [Double] = [0.05, -0.05]
    static let c2: [Double] = [0.3, -0.1], c1: [Double] = [-0.2, 0.4]

    /// The 2-2-2 network above as a `BipropNetwork` (MLP layers hold W1ᵀ and W2ᵀ).
    static func tiny() -> BipropNetwork {
        var rng = RNG(seed: 1)
        var net = MLP(sizes: [2, 2, 2], hidden: .sigmoid, output: .softmax, rng: &rng)
        let lay = net.layout
        for j in 0..<2 {
            for k in 0..<2 { net.params[lay.wOffset[0] + j * 2 + k] = Float(w1[k][j]) }
            net.params[lay.bOffset[0] + j] = Float(b1[j])
        }
        for c in 0..<2 {
            for j in 0..<2 { net.params[lay.wOffset[1] + c * 2 + j] = Float(w2[j][c]) }
            net.params[lay.bOffset[1] + c] = Float(b2[c])
        }
        return BipropNetwork(net: net, generatorBias: (c2 + c1).map(Float.init))
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// Two examples: x = (0.9, 0.1) of class 0 and x = (0.2, 0.7) of class 1.
    static func data() -> Dataset {
        Dataset(x: Matrix(rows: 2, cols: 2, storage: [0.9, 0.1, 0.2, 0.7]), labels: [0, 1], classes: 2)
    }

    // MARK: FGSM

    /// x = (0.95, 0.5), y = 1: h = σ(x W1 + b1) = (0.662622, 0.478763), p = (0.527657, 0.472343),
    /// δ_out = p − e_1 = (0.527657, −0.527657), δ_h = (W2 δ_out) ⊙ h(1 − h) and
    /// ∇_x L = W1 δ_h = (0.124132, −0.132060): FGSM at ε = 0.1 moves x to (1.05 → clipped 1, 0.4).
    @Test func fgsmFollowsTheSignOfTheHandComputedInputGradient() {
        var net = Self.tiny()
        let x: [Float] = [0.95, 0.5]
        let g = net.inputGradient(x, label: 1)
        #expect(abs(g[0] - 0.124132) < 1e-5)
        #expect(abs(g[1] - -0.132060) < 1e-5)
        let adv = net.adversarial(x, label: 1, epsilon: 0.1)
        #expect(adv == [1, 0.4])
        // The step raises the loss (−log p_1).
        let before = net.net.predict(x)[1], after = net.net.predict(adv)[1]
        #expect(after < before)
    }

    @Test func fgsmLeavesPixelsWithZeroGradientAndClipsToTheUnitInterval() {
        let adv = FGSM.perturb([0.3, 0.05, 0.98, 0.5], gradient: [0, -2, 1e-9, -0.1], epsilon: 0.1)
        #expect(adv == [0.3, 0, 1, 0.4])
        #expect(FGSM.perturb([0.3, 0.7], gradient: [1, -1], epsilon: 0) == [0.3, 0.7])
    }

    // MARK: noise confidence

    /// Noise maxima (0.3, 0.6, 0.45), test maxima (0.9, 1.0, 0.8): global ratio 0.6 / 1.0 = 0.6,
    /// mean ratio 0.45 / 0.9 = 0.5.
    @Test func noiseConfidenceRatioOnAHandMadeCase() {
        let c = NoiseConfidence(noiseMaxima: [0.3, 0.6, 0.45], testMaxima: [0.9, 1.0, 0.8])
        #expect(abs(c.ratio - 0.6) < 1e-6)
        #expect(abs(c.meanRatio - 0.5) < 1e-6)
        let none = NoiseConfidence(noiseMaxima: [], testMaxima: [0.9])
        #expect(none.ratio.isNaN && none.meanRatio.isNaN)
    }

    @Test func evaluateReportsTheRatioOfTheClassifiersMaxima() {
        var net = Self.tiny()
        let test = Self.data()
        let noise: [Float] = [0.5, 0.5, 0, 1]
        let probe = net.evaluate(test, epsilon: 0, noiseLevel: 0, pixelNoise: [0, 0, 0, 0], noiseImages: noise)
        func top(_ x: [Float]) -> Float { net.net.predict(x).max() ?? .nan }
        let noiseMax = [top([0.5, 0.5]), top([0, 1])], testMax = [top([0.9, 0.1]), top([0.2, 0.7])]
        #expect(probe.confidence == NoiseConfidence(noiseMaxima: noiseMax, testMaxima: testMax))
        // ε = 0 and no noise: all three accuracies are the clean one (0.9, 0.1 → class 0; 0.2, 0.7 → class 1).
        #expect(probe.clean == 1 && probe.noisy == 1 && probe.fgsm == 1)
    }

    // MARK: the generator and the biprop update

    /// L_g and its gradient for the two examples by the page's equations, example by example:
    /// g = σ(y W2ᵀ + c2), u = g W1ᵀ + c1, x̂ = σ(u), L_g = −mean_{n,k}[x log x̂ + (1 − x) log(1 − x̂)],
    /// ∂L_g/∂u_nk = (x̂_nk − x_nk)/(B P), then back through W1ᵀ and σ to W2 and c2.
    static func handGenerator(w1: [[Double]], w2: [[Double]], c2: [Double], c1: [Double])
        -> (loss: Double, w1: [[Double]], w2: [[Double]], c2: [Double], c1: [Double]) {
        let xs: [[Double]] = [[0.9, 0.1], [0.2, 0.7]], ys = [0, 1]
        var loss = 0.0
        var gw1 = [[0.0, 0.0], [0.0, 0.0]], gw2 = [[0.0, 0.0], [0.0, 0.0]], gc2 = [0.0, 0.0], gc1 = [0.0, 0.0]
        let scale = 1.0 / 4  // B P = 2 x 2
        for (x, y) in zip(xs, ys) {
            let g = (0..<2).map { j in sigmoid(w2[j][y] + c2[j]) }
            let u = (0..<2).map { k in g[0] * w1[k][0] + g[1] * w1[k][1] + c1[k] }
            let xhat = u.map(sigmoid)
            for k in 0..<2 { loss -= scale * (x[k] * log(xhat[k]) + (1 - x[k]) * log(1 - xhat[k])) }
            let du = (0..<2).map { k in (xhat[k] - x[k]) * scale }
            for k in 0..<2 {
                gc1[k] += du[k]
                for j in 0..<2 { gw1[k][j] += du[k] * g[j] }
            }
            for j in 0..<2 {
                let dv = (w1[0][j] * du[0] + w1[1][j] * du[1]) * g[j] * (1 - g[j])
                gc2[j] += dv
                gw2[j][y] += dv
            }
        }
        return (loss, gw1, gw2, gc2, gc1)
    }

    @Test func generatorLossAndGradientMatchTheHandComputation() {
        let net = Self.tiny()
        var gw = [Float](repeating: 0, count: net.net.params.count), gb = [Float](repeating: 0, count: 4)
        let loss = net.generatorGradient(Self.data(), rows: [0, 1][...], gWeights: &gw, gBias: &gb)
        let hand = Self.handGenerator(w1: Self.w1, w2: Self.w2, c2: Self.c2, c1: Self.c1)
        #expect(abs(loss - hand.loss) < 1e-5)
        let lay = net.net.layout
        for j in 0..<2 {
            for k in 0..<2 { #expect(abs(Double(gw[lay.wOffset[0] + j * 2 + k]) - hand.w1[k][j]) < 1e-6) }
            for c in 0..<2 { #expect(abs(Double(gw[lay.wOffset[1] + c * 2 + j]) - hand.w2[j][c]) < 1e-6) }
            #expect(abs(Double(gb[j]) - hand.c2[j]) < 1e-6)
            #expect(abs(Double(gb[2 + j]) - hand.c1[j]) < 1e-6)
        }
        for l in 0..<2 { for i in 0..<2 { #expect(gw[lay.bOffset[l] + i] == 0) } }
    }

    /// The classifier gradient of the two examples: δ_out = p − t, δ_h = (W2 δ_out) ⊙ h(1 − h),
    /// ∂/∂W1[k, j] = Σ_n x_nk δ_h,nj, ∂/∂W2[j, c] = Σ_n h_nj δ_out,nc, ∂/∂b = Σ_n δ.
    static func handClassifier(w1: [[Double]], w2: [[Double]], b1: [Double], b2: [Double])
        -> (w1: [[Double]], w2: [[Double]], b1: [Double], b2: [Double]) {
        let xs: [[Double]] = [[0.9, 0.1], [0.2, 0.7]], ys = [0, 1]
        var gw1 = [[0.0, 0.0], [0.0, 0.0]], gw2 = [[0.0, 0.0], [0.0, 0.0]], gb1 = [0.0, 0.0], gb2 = [0.0, 0.0]
        for (x, y) in zip(xs, ys) {
            let h = (0..<2).map { j in sigmoid(x[0] * w1[0][j] + x[1] * w1[1][j] + b1[j]) }
            let z = (0..<2).map { c in h[0] * w2[0][c] + h[1] * w2[1][c] + b2[c] }
            let e = z.map { exp($0) }
            let d = (0..<2).map { c in e[c] / (e[0] + e[1]) - (c == y ? 1 : 0) }
            for j in 0..<2 {
                let dh = (w2[j][0] * d[0] + w2[j][1] * d[1]) * h[j] * (1 - h[j])
                gb1[j] += dh
                for k in 0..<2 { gw1[k][j] += x[k] * dh }
                for c in 0..<2 { gw2[j][c] += h[j] * d[c] }
            }
            for c in 0..<2 { gb2[c] += d[c] }
        }
        return (gw1, gw2, gb1, gb2)
    }

    static func sign(_ v: Double) -> Double { v > 0 ? 1 : (v < 0 ? -1 : 0) }

    /// One minibatch of each variant from fresh Adam moments. Adam's first step is
    /// η m̂ / (√v̂ + ε) = η ḡ / (|ḡ| + ε) ≈ η sign(ḡ), so by hand: biprop moves W by
    /// −η sign(∂L_c/∂W) and then −η sign(∂L_g/∂W) (the generator gradient taken at the updated
    /// weights), b by the first only and c by the second only; backprop never moves c.
    @Test(arguments: ["backprop", "biprop", "halfbiprop"])
    func oneStepOfEachVariantMatchesTheHandComputedAdamUpdate(_ variant: String) throws {
        let eta = 0.003
        var config = BipropConfig()
        config.hidden = 2
        config.batch = 2
        config.eta = Float(eta)
        config.noiseImages = 1
        let rule = try BipropRules.registry.descriptor(named: variant).makeDefault()
        let data = Self.data()
        var sim = BipropSimulation(config: config, rules: [rule], names: [variant], start: 0, seed: 3, train: data, test: data)
        let before = Self.tiny()
        sim.arms[0].network = before
        sim.advance(1)
        let after = sim.arms[0].network
        let generator = variant != "backprop"  // halfbiprop trains it at t = 0 < 1500

        let gc = Self.handClassifier(w1: Self.w1, w2: Self.w2, b1: Self.b1, b2: Self.b2)
        var w1 = Self.w1, w2 = Self.w2
        for k in 0..<2 { for j in 0..<2 { w1[k][j] -= eta * Self.sign(gc.w1[k][j]) } }
        for j in 0..<2 { for c in 0..<2 { w2[j][c] -= eta * Self.sign(gc.w2[j][c]) } }
        let b1 = zip(Self.b1, gc.b1).map { $0 - eta * Self.sign($1) }, b2 = zip(Self.b2, gc.b2).map { $0 - eta * Self.sign($1) }
        var c2 = Self.c2, c1 = Self.c1
        if generator {
            let gg = Self.handGenerator(w1: w1, w2: w2, c2: c2, c1: c1)
            for k in 0..<2 { for j in 0..<2 { w1[k][j] -= eta * Self.sign(gg.w1[k][j]) } }
            for j in 0..<2 { for c in 0..<2 { w2[j][c] -= eta * Self.sign(gg.w2[j][c]) } }
            c2 = zip(c2, gg.c2).map { $0 - eta * Self.sign($1) }
            c1 = zip(c1, gg.c1).map { $0 - eta * Self.sign($1) }
        }
        let lay = after.net.layout, p = after.net.params, tol = 1e-5
        for j in 0..<2 {
            for k in 0..<2 { #expect(abs(Double(p[lay.wOffset[0] + j * 2 + k]) - w1[k][j]) < tol, "W1[\(k), \(j)]") }
            for c in 0..<2 { #expect(abs(Double(p[lay.wOffset[1] + c * 2 + j]) - w2[j][c]) < tol, "W2[\(j), \(c)]") }
            #expect(abs(Double(p[lay.bOffset[0] + j]) - b1[j]) < tol)
            #expect(abs(Double(p[lay.bOffset[1] + j]) - b2[j]) < tol)
            #expect(abs(Double(after.generatorBias[j]) - c2[j]) < tol)
            #expect(abs(Double(after.generatorBias[2 + j]) - c1[j]) < tol)
        }
    }

    @Test func halfbipropStopsTheGeneratorAfterItsSteps() {
        let half = HalfBiprop(generatorSteps: 3)
        #expect((0..<6).map(half.trainsGenerator) == [true, true, true, false, false, false])
        #expect(!ClassifierOnly().trainsGenerator(at: 0) && Biprop().trainsGenerator(at: 10_000))
    }

    /// All arms start from the same weights: before any step every arm reports the same row.
    @Test func armsStartFromTheSameWeights() throws {
        let rules: [any BipropRule] = [ClassifierOnly(), Biprop(), HalfBiprop(generatorSteps: 5)]
        let (train, test) = Digits.split()
        var sim = BipropSimulation(config: BipropConfig(), rules: rules, names: ["backprop", "biprop", "halfbiprop"], start: 1, seed: 2,
                                   train: train, test: test)
        let row = sim.measure()
        let per = Array(row.dropFirst(BipropSimulation.baseMetrics.count))
        let width = BipropSimulation.armMetrics("x").count
        for a in 1..<3 { #expect(Array(per[(a * width)..<(a * width + 5)]) == Array(per[0..<5])) }
        sim.advance(2)
        // After two batches backprop and biprop differ, biprop and halfbiprop (T_g = 5) do not.
        let w = sim.arms.map { $0.network.net.params }
        #expect(w[0] != w[1] && w[1] == w[2])
    }
    /// The page's last effect: the generated class images look like digits only when the
    /// generator trains. After 300 batches biprop's x̂(y) is more than 10x closer (mean squared error per
    /// pixel) to the mean training image of class y than the untrained generator of backprop.
    @Test func onlyATrainedGeneratorDrawsTheClassMeans() {
        let rules: [any BipropRule] = [ClassifierOnly(), Biprop()]
        let (train, test) = Digits.split()
        var sim = BipropSimulation(config: BipropConfig(), rules: rules, names: ["backprop", "biprop"], start: 1, seed: 1,
                                   train: train, test: test)
        sim.advance(300)
        var means = [[Float]](repeating: [Float](repeating: 0, count: 64), count: 10), counts = [Float](repeating: 0, count: 10)
        for n in 0..<train.count {
            counts[train.labels[n]] += 1
            for (i, v) in train.sample(n).enumerated() { means[train.labels[n]][i] += v }
        }
        func error(_ arm: Int) -> Float {
            var e: Float = 0
            for c in 0..<10 {
                let image = sim.arms[arm].network.generate(c).image
                for i in 0..<64 { let d = image[i] - means[c][i] / counts[c]; e += d * d }
            }
            return e / 640
        }
        let backprop = error(0), biprop = error(1)
        #expect(biprop < backprop / 10, "mse biprop \(biprop) vs backprop \(backprop)")
    }
}
