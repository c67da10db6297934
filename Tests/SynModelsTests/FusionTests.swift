import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore
@testable import SynModels

/// The IEMF scene's pieces (science page 34): the fusion coefficient against its formula and
/// the two-modality network's gradients against finite differences.
@Suite struct FusionTests {
    /// c = 1 + tanh(1 − ((s_a + s_v)/2) / s_av): equal confidences give c = 1; unimodal heads at
    /// half the fused confidence give 1 + tanh(0.5); a far less confident fused head gives c near 0
    /// (its layer stops learning); a fused head with no confidence leaves c = 1.
    @Test func iemfCoefficientFollowsItsFormula() {
        let rule = InverseEffectivenessFusion()
        #expect(abs(rule.coefficient(sA: 4, sV: 4, sAV: 4) - 1) < 1e-6)
        #expect(abs(rule.coefficient(sA: 2, sV: 4, sAV: 6) - Float(1 + tanh(0.5))) < 1e-6)
        #expect(rule.coefficient(sA: 30, sV: 30, sAV: 1) < 0.01)  // fused far less confident: c -> 0
        #expect(rule.coefficient(sA: 1, sV: 1, sAV: 0) == 1)
        #expect(PlainFusion().coefficient(sA: 2, sV: 4, sAV: 6) == 1)
    }

    static func setup() -> (FusionNet, Matrix, Matrix, [Int]) {
        var rng = RNG(seed: 11)
        var net = FusionNet(inputs: 6, split: 3, hidden: 4, classes: 3, rng: &rng)
        for p in [1, 3] { for j in 0..<4 { net.params[p].storage[j] = 0.2 } }
        let a = Matrix(rows: 5, cols: 3) { _, _ in rng.uniform(0, 1) }
        let v = Matrix(rows: 5, cols: 3) { _, _ in rng.uniform(0, 1) }
        return (net, a, v, [0, 1, 2, 1, 0])
    }

    /// Cross-entropy of the three heads (batch means), optionally only the fused one.
    static func loss(_ net: FusionNet, _ a: Matrix, _ v: Matrix, _ y: [Int], fusedOnly: Bool) -> Double {
        var n = net
        n.forward(a: a, v: v)
        var l = 0.0
        for (i, c) in y.enumerated() {
            l -= log(Double(n.probs.av[i, c]))
            if !fusedOnly { l -= log(Double(n.probs.a[i, c])) + log(Double(n.probs.v[i, c])) }
        }
        return l / Double(y.count)
    }

    /// With heads that train the encoders, every block's gradient is the derivative of the
    /// total loss; with detached heads, the encoders' gradient is that of CE(o_av) alone while
    /// the heads still follow the total loss.
    @Test func fusionGradientsMatchFiniteDifferences() {
        let (net, a, v, y) = Self.setup()
        var n = net
        n.forward(a: a, v: v)
        let eps: Float = 1e-2
        for detached in [false, true] {
            let g = n.gradients(labels: y, detached: detached)
            for block in 0..<10 {
                let fusedOnly = detached && block < 4
                for t in [0, net.params[block].storage.count - 1] {
                    var p = net, m = net
                    p.params[block].storage[t] += eps
                    m.params[block].storage[t] -= eps
                    let numeric = (Self.loss(p, a, v, y, fusedOnly: fusedOnly) - Self.loss(m, a, v, y, fusedOnly: fusedOnly)) / Double(2 * eps)
                    let analytic = Double(g[block].storage[t])
                    #expect(abs(analytic - numeric) <= 0.02 * max(abs(numeric), 1e-2),
                            "block \(block)[\(t)] detached \(detached): analytic \(analytic), numeric \(numeric)")
                }
            }
        }
    }

    /// s_m sums the true class's probability over the batch: with uniform outputs (zero
    /// weights) each score is n / classes.
    @Test func confidenceOfUniformOutputsIsBatchOverClasses() {
        var (net, a, v, y) = Self.setup()
        for p in net.params.indices { net.params[p].fill(0) }
        net.forward(a: a, v: v)
        let s = net.confidence(y)
        #expect(abs(s.a - 5.0 / 3) < 1e-5 && abs(s.v - 5.0 / 3) < 1e-5 && abs(s.av - 5.0 / 3) < 1e-5)
    }
}
