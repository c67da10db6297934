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

    static func run(_ layer: inout HebbianLayer, _ rule: HebbianRule, eta: Float, x: Matrix, epochs: Int = 1) {
        for _ in 0..<epochs { for i in 0..<x.rows { layer.learn(x.row(i), rule: rule, eta: eta) } }
    }

    static func cosine(_ w: Matrix, row: Int, _ u: Matrix, col: Int) -> Double {
        abs(cosineSimilarity(w.row(row), u.column(col)))
    }

    static func norm(_ v: [Float]) -> Float { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    @Test func ojaFindsTheUnitNormFirstPrincipalComponent() {
        let (x, u) = Self.data(4000)
        var rng = RNG(seed: 1)
        var layer = HebbianLayer(inputs: 8, outputs: 1, rng: &rng)
        Self.run(&layer, .oja, eta: 0.01, x: x)
        #expect(Self.cosine(layer.weights, row: 0, u, col: 0) > 0.99)
        #expect(abs(Self.norm(layer.weights.storage) - 1) < 0.05)
    }

    @Test func plainHebbGrowsWithoutBound() {
        let (x, _) = Self.data(300)
        var rng = RNG(seed: 1)
        var layer = HebbianLayer(inputs: 8, outputs: 1, rng: &rng)
        let n0 = Self.norm(layer.weights.storage)
        Self.run(&layer, .hebb, eta: 0.01, x: x)
        #expect(Self.norm(layer.weights.storage) > 3 * n0)
    }

    @Test func sangerFindsTheOrderedLeadingComponents() {
        let (x, u) = Self.data(4000)
        var rng = RNG(seed: 2)
        var layer = HebbianLayer(inputs: 8, outputs: 3, rng: &rng)
        Self.run(&layer, .sanger, eta: 0.02, x: x, epochs: 3)
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
        Self.run(&layer, .subspace, eta: 0.02, x: x, epochs: 2)
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
        let rule = HebbianRule.foldiak(lateralEta: 0.1, sparsity: 0.125)
        var rng = RNG(seed: 3)
        var layer = HebbianLayer(inputs: 64, outputs: 16, rng: &rng)
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
            layer.learn(x, rule: rule, eta: 0.02)
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
        for i in 0..<16 { for j in 0..<16 { #expect(layer.lateral[i, j] <= 0 && (i != j || layer.lateral[i, j] == 0)) } }
    }

    /// BCM with two alternating input patterns: the sliding threshold makes the unit respond to
    /// one pattern and not the other (selectivity 1 - min/max > 0.9).
    @Test func bcmBecomesSelectiveToOnePattern() {
        let p1: [Float] = [1, 0.2, 0.6, 0], p2: [Float] = [0.1, 1, 0.4, 0.3]
        var rng = RNG(seed: 4)
        var layer = HebbianLayer(inputs: 4, outputs: 1, initScale: 0.5, rng: &rng)
        for i in 0..<20000 { layer.learn(i % 2 == 0 ? p1 : p2, rule: .bcm(tau: 50), eta: 0.01) }
        layer.respond(p1, rule: .hebb); let r1 = abs(layer.output[0])
        layer.respond(p2, rule: .hebb); let r2 = abs(layer.output[0])
        #expect(max(r1, r2) > 0.1)
        #expect(1 - min(r1, r2) / max(r1, r2) > 0.9)
        // theta tracks E[y^2] over the two patterns: (r_max^2 + r_min^2) / 2 within 10%.
        let target = (r1 * r1 + r2 * r2) / 2
        #expect(abs(layer.thresholds[0] - target) < 0.1 * target)
    }

    /// SoftHebb on three well-separated unit-norm clusters, six units (competitive learning
    /// can leave units unused or shared, so there are more units than clusters): each cluster
    /// centre is matched by a unit whose weight vector points at it (cosine > 0.95).
    @Test func softHebbFindsClusterCentres() {
        var rng = RNG(seed: 5)
        let centres = LowRankGaussian(dimension: 6, variances: [1, 1, 1], rng: &rng).axes
        var layer = HebbianLayer(inputs: 6, outputs: 6, rng: &rng)
        var x = [Float](repeating: 0, count: 6)
        for _ in 0..<6000 {
            let c = rng.int(below: 3)
            for j in 0..<6 { x[j] = centres[j, c] + 0.05 * rng.normal() }
            let n = Self.norm(x)
            for j in 0..<6 { x[j] /= n }
            layer.learn(x, rule: .softHebb(temperature: 0.1), eta: 0.02)
        }
        for c in 0..<3 {
            let best = (0..<6).map { abs(cosineSimilarity(layer.weights.row($0), centres.column(c))) }.max() ?? 0
            #expect(best > 0.95, "centre \(c): best cosine \(best)")
        }
    }

    /// A live rule switch keeps W and zeroes the rule state (thresholds and lateral weights).
    @Test func resettingRuleStateKeepsTheWeights() {
        var rng = RNG(seed: 7)
        var layer = HebbianLayer(inputs: 64, outputs: 4, rng: &rng)
        var x = [Float](repeating: 0, count: 64)
        let bars = Bars(side: 8, probability: 0.25)
        for _ in 0..<200 {
            bars.sample(into: &x, rng: &rng)
            layer.learn(x, rule: .foldiak(lateralEta: 0.1, sparsity: 0.25), eta: 0.02)
        }
        #expect(layer.thresholds.contains { $0 != 0 } && layer.lateral.storage.contains { $0 != 0 })
        let w = layer.weights
        layer.resetRuleState()
        #expect(layer.weights == w)
        #expect(layer.thresholds.allSatisfy { $0 == 0 } && layer.lateral.storage.allSatisfy { $0 == 0 })
    }

    @Test func everyRuleHasADistinctNameAndAnEquation() {
        let rules: [HebbianRule] = [.hebb, .oja, .subspace, .sanger, .bcm(tau: 50), .foldiak(lateralEta: 0.1, sparsity: 0.125), .softHebb(temperature: 0.5)]
        #expect(rules.map(\.name) == HebbianRule.names)
        #expect(Set(rules.map(\.equation)).count == rules.count)
        #expect(HebbianRule.bcm(tau: 50).equation.contains("/ 50"))
        #expect(HebbianRule.softHebb(temperature: 0.5).equation.contains("/ 0.5"))
    }
}
