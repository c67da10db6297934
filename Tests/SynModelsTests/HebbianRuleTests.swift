import Testing
import SynCore
@testable import SynModels

@Suite struct HebbianRuleTests {
    /// Zero-mean low-rank data in 8 dimensions with planted eigenvalues 1, 0.25, 0.0625 along
    /// random axes U, plus isotropic noise sigma = 0.05 (eigenvalues + 0.0025).
    static func data(_ n: Int) -> (x: Matrix, u: Matrix) {
        var rng = RNG(seed: 12)
        let g = LowRankGaussian(dimension: 8, variances: [1, 0.25, 0.0625], noise: 0.05, rng: &rng)
        var x = Matrix(rows: n, cols: 8)
        var sample = [Float](repeating: 0, count: 8)
        for i in 0..<n {
            g.sample(into: &sample, rng: &rng)
            x.setRow(i, sample)
        }
        return (x, g.axes)
    }

    /// Rule `R` with `given` parameter values (the rest at their defaults), bound to `layer`.
    static func make<R: HebbianLearningRule>(_ type: R.Type, _ given: [String: Double] = [:], for layer: HebbianLayer) -> R {
        var r = R(RuleParameterValues(R.parameters, given: given))
        r.bind(inputs: layer.inputs, outputs: layer.outputs)
        return r
    }

    static func run<R: HebbianLearningRule>(_ layer: inout HebbianLayer, _ type: R.Type, eta: Float, x: Matrix, epochs: Int = 1) {
        var rule = make(type, ["eta": Double(eta)], for: layer)
        for _ in 0..<epochs { for i in 0..<x.rows { layer.learn(x.row(i), rule: &rule) } }
    }

    static func cosine(_ w: Matrix, row: Int, _ u: Matrix, col: Int) -> Double {
        abs(cosineSimilarity(w.row(row), u.column(col)))
    }

    static func norm(_ v: [Float]) -> Float { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    @Test func ojaFindsTheUnitNormFirstPrincipalComponent() {
        let (x, u) = Self.data(4000)
        var rng = RNG(seed: 1)
        var layer = HebbianLayer(inputs: 8, outputs: 1, rng: &rng)
        Self.run(&layer, Oja.self, eta: 0.01, x: x)
        #expect(Self.cosine(layer.weights, row: 0, u, col: 0) > 0.99)
        #expect(abs(Self.norm(layer.weights.storage) - 1) < 0.05)
    }

    @Test func plainHebbGrowsWithoutBound() {
        let (x, _) = Self.data(300)
        var rng = RNG(seed: 1)
        var layer = HebbianLayer(inputs: 8, outputs: 1, rng: &rng)
        let n0 = Self.norm(layer.weights.storage)
        Self.run(&layer, Hebb.self, eta: 0.01, x: x)
        #expect(Self.norm(layer.weights.storage) > 3 * n0)
    }

    @Test func sangerFindsTheOrderedLeadingComponents() {
        let (x, u) = Self.data(4000)
        var rng = RNG(seed: 2)
        var layer = HebbianLayer(inputs: 8, outputs: 3, rng: &rng)
        Self.run(&layer, Sanger.self, eta: 0.02, x: x, epochs: 3)
        #expect(Self.cosine(layer.weights, row: 0, u, col: 0) > 0.99)
        #expect(Self.cosine(layer.weights, row: 1, u, col: 1) > 0.95)
        #expect(Self.cosine(layer.weights, row: 2, u, col: 2) > 0.9)
    }

    /// Oja's subspace rule: the two rows become orthonormal (|W W^T - I| < 0.05) and lie in the
    /// span of the top-2 axes (squared projection > 0.95 each), in some rotation.
    @Test func subspaceRuleFindsAnOrthonormalBasisOfThePrincipalSubspace() {
        let (x, u) = Self.data(4000)
        var rng = RNG(seed: 6)
        var layer = HebbianLayer(inputs: 8, outputs: 2, rng: &rng)
        Self.run(&layer, OjaSubspace.self, eta: 0.02, x: x, epochs: 2)
        let w = layer.weights
        for a in 0..<2 {
            for b in 0..<2 {
                let dot = zip(w.row(a), w.row(b)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                #expect(abs(dot - (a == b ? 1 : 0)) < 0.05)
            }
            var inSpan = 0.0
            for k in 0..<2 { let c = cosineSimilarity(w.row(a), u.column(k)); inSpan += c * c }
            #expect(inSpan > 0.95)
        }
    }

    /// Földiák (1990) on 8x8 bars: the anti-Hebbian lateral weights decorrelate the binary
    /// outputs (mean |corr| over unit pairs < 0.1 on 500 fresh images, against ~0.2 at the
    /// start), the thresholds hold each unit's firing rate near p = 1/8, and every bar is the
    /// preferred bar (largest mean weight, all others below half of it) of some unit.
    @Test func foldiakDecorrelatesOutputsAndFindsTheBars() {
        let bars = Bars(side: 8, probability: 0.125)
        var rng = RNG(seed: 3)
        var layer = HebbianLayer(inputs: 64, outputs: 16, rng: &rng)
        var rule = Self.make(Foldiak.self, ["eta": 0.02, "lateral_eta": 0.1, "sparsity": 0.125], for: layer)
        var test = Matrix(rows: 500, cols: 64)
        var x = [Float](repeating: 0, count: 64)
        for i in 0..<500 { bars.sample(into: &x, rng: &rng); test.setRow(i, x) }
        func stats(_ layer: HebbianLayer) -> (corr: Double, rates: [Double]) {
            var l = layer
            var ys = [[Double]]()
            for i in 0..<500 { l.respond(test.row(i), rule: rule); ys.append(l.output.map(Double.init)) }
            let mean = (0..<16).map { j in ys.reduce(0) { $0 + $1[j] } / 500 }
            func cov(_ a: Int, _ b: Int) -> Double { ys.reduce(0) { $0 + $1[a] * $1[b] } / 500 - mean[a] * mean[b] }
            var total = 0.0, pairs = 0
            for a in 0..<16 where cov(a, a) > 0 {
                for b in (a + 1)..<16 where cov(b, b) > 0 {
                    total += abs(cov(a, b)) / (cov(a, a) * cov(b, b)).squareRoot()
                    pairs += 1
                }
            }
            return (pairs > 0 ? total / Double(pairs) : 1, mean)
        }
        let before = stats(layer).corr
        for _ in 0..<3000 {
            bars.sample(into: &x, rng: &rng)
            layer.learn(x, rule: &rule)
        }
        let after = stats(layer)
        #expect(before > 0.15, "initial mean |corr| \(before)")
        #expect(after.corr < 0.1, "final mean |corr| \(after.corr)")
        for r in after.rates { #expect(abs(r - 0.125) < 0.06, "firing rate \(r)") }
        var found = Set<Int>()
        for i in 0..<16 {
            let means = (0..<16).map { b in (0..<8).reduce(Float(0)) { $0 + layer.weights[i, bars.pixel(bar: b, at: $1)] } / 8 }
            let sorted = means.sorted(by: >)
            if sorted[0] > 0, sorted[1] < sorted[0] / 2, let b = means.firstIndex(of: sorted[0]) { found.insert(b) }
        }
        #expect(found.count == 16, "bars found: \(found.sorted())")
        // The lateral weights are inhibitory with a zero diagonal.
        let m = rule.lateralWeights
        for i in 0..<16 { for j in 0..<16 { #expect(m[i, j] <= 0 && (i != j || m[i, j] == 0)) } }
    }

    /// BCM with two alternating input patterns: the sliding threshold makes the unit respond to
    /// one pattern and not the other (selectivity 1 - min/max > 0.9).
    @Test func bcmBecomesSelectiveToOnePattern() {
        let p1: [Float] = [1, 0.2, 0.6, 0], p2: [Float] = [0.1, 1, 0.4, 0.3]
        var rng = RNG(seed: 4)
        var layer = HebbianLayer(inputs: 4, outputs: 1, initScale: 0.5, rng: &rng)
        var bcm = Self.make(BCM.self, ["eta": 0.01, "tau": 50], for: layer)
        for i in 0..<20000 { layer.learn(i % 2 == 0 ? p1 : p2, rule: &bcm) }
        let hebb = Self.make(Hebb.self, for: layer)
        layer.respond(p1, rule: hebb); let r1 = abs(layer.output[0])
        layer.respond(p2, rule: hebb); let r2 = abs(layer.output[0])
        #expect(max(r1, r2) > 0.1)
        #expect(1 - min(r1, r2) / max(r1, r2) > 0.9)
        // theta tracks E[y^2] over the two patterns: (r_max^2 + r_min^2) / 2 within 10%.
        let target = (r1 * r1 + r2 * r2) / 2
        #expect(abs(bcm.thresholds[0] - target) < 0.1 * target)
    }

    /// SoftHebb on three well-separated unit-norm clusters, six units (competitive learning
    /// can leave units unused or shared, so there are more units than clusters): each cluster
    /// centre is matched by a unit whose weight vector points at it (cosine > 0.95).
    @Test func softHebbFindsClusterCentres() {
        var rng = RNG(seed: 5)
        let centres = LowRankGaussian(dimension: 6, variances: [1, 1, 1], rng: &rng).axes
        var layer = HebbianLayer(inputs: 6, outputs: 6, rng: &rng)
        var soft = Self.make(SoftHebb.self, ["eta": 0.02, "temperature": 0.1], for: layer)
        var x = [Float](repeating: 0, count: 6)
        for _ in 0..<6000 {
            let c = rng.int(below: 3)
            for j in 0..<6 { x[j] = centres[j, c] + 0.05 * rng.normal() }
            let n = Self.norm(x)
            for j in 0..<6 { x[j] /= n }
            layer.learn(x, rule: &soft)
        }
        for c in 0..<3 {
            let best = (0..<6).map { abs(cosineSimilarity(layer.weights.row($0), centres.column(c))) }.max() ?? 0
            #expect(best > 0.95, "centre \(c): best cosine \(best)")
        }
    }

    /// Binding a rule (what a live switch does) keeps W and zeroes the rule state.
    @Test func bindingResetsRuleStateAndKeepsTheWeights() {
        var rng = RNG(seed: 7)
        var layer = HebbianLayer(inputs: 64, outputs: 4, rng: &rng)
        var rule = Self.make(Foldiak.self, ["eta": 0.02, "lateral_eta": 0.1, "sparsity": 0.25], for: layer)
        var x = [Float](repeating: 0, count: 64)
        let bars = Bars(side: 8, probability: 0.25)
        for _ in 0..<200 {
            bars.sample(into: &x, rng: &rng)
            layer.learn(x, rule: &rule)
        }
        #expect(rule.thresholds.contains { $0 != 0 } && rule.lateralWeights.storage.contains { $0 != 0 })
        let w = layer.weights
        rule.bind(inputs: 64, outputs: 4)
        #expect(layer.weights == w)
        #expect(rule.thresholds.allSatisfy { $0 == 0 } && rule.lateralWeights.storage.allSatisfy { $0 == 0 })
    }

    /// The covariance rule on a tiny input, by hand: with x̄ = ȳ = 0 the first update is
    /// η y x (Hebb); then the means move by 1/τ of the sample, and the second update uses the
    /// deviations from them: Δw = η (y − ȳ)(x − x̄).
    @Test func covarianceRuleUpdatesAsItsEquationSays() {
        var rng = RNG(seed: 1)
        var layer = HebbianLayer(inputs: 2, outputs: 1, rng: &rng)
        layer.weights = Matrix(rows: 1, cols: 2) { _, j in j == 0 ? 0.5 : -0.25 }
        var rule = Self.make(CovarianceRule.self, ["eta": 0.1, "tau_mean": 4], for: layer)
        let x1: [Float] = [1, 2]
        layer.learn(x1, rule: &rule)
        // y1 = 0.5 - 0.5 = 0: no change; means x̄ = x1 / 4, ȳ = 0.
        #expect(layer.weights.storage == [0.5, -0.25])
        #expect(rule.inputMean == [0.25, 0.5] && rule.outputMean == [0])
        let x2: [Float] = [2, 0]
        layer.learn(x2, rule: &rule)
        // y2 = 1; Δw = 0.1 · (1 − 0) · (x2 − x̄) = 0.1 · [1.75, −0.5].
        #expect(abs(layer.weights[0, 0] - (0.5 + 0.175)) < 1e-6)
        #expect(abs(layer.weights[0, 1] - (-0.25 - 0.05)) < 1e-6)
        // x̄ += (x2 − x̄)/4, ȳ += (1 − 0)/4.
        #expect(abs(rule.inputMean[0] - 0.6875) < 1e-6 && abs(rule.inputMean[1] - 0.375) < 1e-6)
        #expect(abs(rule.outputMean[0] - 0.25) < 1e-6)
    }

    /// A constant offset in the input drives plain Hebb but not the covariance rule: with
    /// x = c + small zero-mean noise, Hebb's w turns to the offset c while the covariance rule's
    /// stays away from it (it learns the noise's principal direction instead).
    @Test func covarianceRuleIgnoresTheInputMean() {
        var rng = RNG(seed: 3)
        let c: [Float] = [3, 3, 0, 0]
        var hebbLayer = HebbianLayer(inputs: 4, outputs: 1, initScale: 0.1, rng: &rng)
        var covLayer = hebbLayer
        var hebb = Self.make(Hebb.self, ["eta": 0.0005], for: hebbLayer)
        var cov = Self.make(CovarianceRule.self, ["eta": 0.0005, "tau_mean": 50], for: covLayer)
        var x = [Float](repeating: 0, count: 4)
        for _ in 0..<2000 {
            // Noise along (0, 0, 1, 0) with sd 1, tiny elsewhere.
            let n = rng.normal()
            for j in 0..<4 { x[j] = c[j] + (j == 2 ? n : 0.01 * rng.normal()) }
            hebbLayer.learn(x, rule: &hebb)
            covLayer.learn(x, rule: &cov)
        }
        let offset: [Float] = [0.7071, 0.7071, 0, 0], noiseAxis: [Float] = [0, 0, 1, 0]
        #expect(abs(cosineSimilarity(hebbLayer.weights.row(0), offset)) > 0.95)
        #expect(abs(cosineSimilarity(covLayer.weights.row(0), offset)) < 0.3)
        #expect(abs(cosineSimilarity(covLayer.weights.row(0), noiseAxis)) > 0.9)
    }

    @Test func everyRuleHasADistinctNameAndAnEquationWithItsParameters() {
        let rules = HebbianRules.registry.rules.map { $0.makeDefault() }
        #expect(Set(rules.map(\.name)).count == rules.count)
        #expect(Set(rules.map(\.equation)).count == rules.count)
        let bcm = BCM(RuleParameterValues(BCM.parameters, given: ["tau": 50]))
        #expect(bcm.equation.contains("/ 50"))
        let soft = SoftHebb(RuleParameterValues(SoftHebb.parameters, given: ["temperature": 0.5]))
        #expect(soft.equation.contains("/ 0.5"))
    }
}
