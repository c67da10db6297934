import Testing
import SynCore
@testable import SynModels

/// Gradient estimators through stochastic binary units (page 13) against the exact gradient of
/// the expected loss on a tiny 3-4-3 network, where E[L] is a sum over all 2^4 hidden states.
@Suite struct AssociativeEstimatorTests {
    static func tiny() -> (StochasticBinaryNet, [Float], Int) {
        var rng = RNG(seed: 11)
        var net = StochasticBinaryNet(inputs: 3, hidden: 4, classes: 3, rng: &rng)
        for k in net.w2.indices { net.w2[k] *= 3 }  // a strongly nonlinear output, so the bias shows
        return (net, [0.9, -0.4, 0.6], 2)
    }

    /// Every hidden state with its probability.
    static func states(_ p: [Float]) -> [([Float], Double)] {
        (0..<(1 << p.count)).map { bits in
            let h = p.indices.map { Float((bits >> $0) & 1) }
            let prob = p.indices.reduce(1.0) { $0 * Double(h[$1] == 1 ? p[$1] : 1 - p[$1]) }
            return (h, prob)
        }
    }

    /// ∂E[L]/∂a_i = Σ_h P(h) (h_i − p_i) L(h), exactly.
    static func exact(_ net: StochasticBinaryNet, _ p: [Float], _ y: Int) -> [Double] {
        var g = [Double](repeating: 0, count: p.count)
        for (h, prob) in states(p) {
            let l = Double(StochasticBinaryNet.loss(net.softmax(h), y))
            for i in p.indices { g[i] += prob * Double(h[i] - p[i]) * l }
        }
        return g
    }

    /// E[ĝ_a] of a rule, exactly (sum over hidden states).
    static func expectation(_ rule: any StochasticEstimatorRule, _ net: StochasticBinaryNet, _ p: [Float], _ y: Int) -> [Double] {
        var g = [Double](repeating: 0, count: p.count), ga = [Float](repeating: 0, count: p.count)
        for (h, prob) in states(p) {
            let q = net.softmax(h)
            rule.hiddenGradient(p: p, h: h, dh: net.hiddenError(q, y), loss: StochasticBinaryNet.loss(q, y),
                                baseline: [Float](repeating: 0.7, count: p.count), into: &ga)
            for i in p.indices { g[i] += prob * Double(ga[i]) }
        }
        return g
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        StochasticEstimatorSimulation.cosine(a.map(Float.init), b.map(Float.init))
    }

    @Test func reinforceIsUnbiasedWithAndWithoutABaseline() {
        let (net, x, y) = Self.tiny()
        let p = x.withUnsafeBufferPointer { net.probabilities($0.baseAddress!) }
        let g = Self.exact(net, p, y)
        for rule in [Reinforce() as any StochasticEstimatorRule, ReinforceBaseline()] {
            // Exactly, by enumeration ...
            let e = Self.expectation(rule, net, p, y)
            for i in g.indices { #expect(abs(e[i] - g[i]) < 1e-6) }
            // ... and as the mean of 20000 draws, within 5 standard errors of each component.
            var rng = RNG(seed: 3)
            let m = 20000
            var sum = [Double](repeating: 0, count: 4), sq = sum, ga = [Float](repeating: 0, count: 4)
            for _ in 0..<m {
                let h = StochasticBinaryNet.sample(p, rng: &rng)
                let q = net.softmax(h)
                rule.hiddenGradient(p: p, h: h, dh: net.hiddenError(q, y), loss: StochasticBinaryNet.loss(q, y),
                                    baseline: [Float](repeating: 0.7, count: 4), into: &ga)
                for i in 0..<4 { sum[i] += Double(ga[i]); sq[i] += Double(ga[i]) * Double(ga[i]) }
            }
            for i in 0..<4 {
                let mean = sum[i] / Double(m), sd = (sq[i] / Double(m) - mean * mean).squareRoot()
                #expect(abs(mean - g[i]) < 5 * sd / Double(m).squareRoot() + 1e-6, "\(rule.name) unit \(i): \(mean) vs \(g[i])")
            }
        }
    }

    /// The page: STE is biased yet points downhill; its averaged estimate saturates below cosine 1.
    /// Treating dh/da as 1 also drops the factor p(1 - p) <= 1/4, so it overstates the gradient.
    @Test func straightThroughIsBiasedButPointsDownhill() {
        let (net, x, y) = Self.tiny()
        let p = x.withUnsafeBufferPointer { net.probabilities($0.baseAddress!) }
        let g = Self.exact(net, p, y)
        let ste = Self.expectation(StraightThrough(), net, p, y)
        let steSig = Self.expectation(StraightThroughSigmoid(), net, p, y)
        let c = Self.cosine(ste, g)
        #expect(c > 0 && c < 1 - 1e-4, "cos(E[STE], exact) = \(c)")
        let norm = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        #expect(norm(ste) > 2 * norm(g), "|E[STE]| = \(norm(ste)), |exact| = \(norm(g))")
        #expect(Self.cosine(steSig, g) > 0, "cos(E[STE x sigma'], exact) = \(Self.cosine(steSig, g))")
    }

    @Test func referenceIdentityMatchesTheExactGradient() {
        let (net, x, y) = Self.tiny()
        let p = x.withUnsafeBufferPointer { net.probabilities($0.baseAddress!) }
        let g = Self.exact(net, p, y)
        var rng = RNG(seed: 9)
        let r = net.referenceHiddenGradient(p: p, y: y, samples: 4000, rng: &rng)
        #expect(Self.cosine(r.map(Double.init), g) > 0.999)
    }

    @Test func aZeroGradientHasNoCosine() {
        #expect(StochasticEstimatorSimulation.cosine([0, 0], [1, 2]).isNaN)
        #expect(abs(StochasticEstimatorSimulation.cosine([1, 0], [1, 1]) - 0.5.squareRoot()) < 1e-9)
    }
}
