import Testing
import SynCore
@testable import SynModels

@Suite struct RateEqPropTests {
    static let x: [Float] = [0.2, 0.8, 0.5, 0.9]
    static let t: [Float] = [0, 1, 0]

    /// A 4-6-3 network with weights that keep most units inside (0, 1).
    static func net() -> EqPropNetwork {
        var rng = RNG(seed: 21)
        var n = EqPropNetwork(sizes: [4, 6, 3], rng: &rng)
        let lay = n.layout
        for l in 0..<lay.layers { for i in 0..<lay.sizes[l + 1] { n.params[lay.bOffset[l] + i] = 0.3 } }
        return n
    }

    /// Relaxes from zero at `beta` for `sweeps` sweeps (continuing from the current state when
    /// `fromZero` is false).
    static func relax(_ n: inout EqPropNetwork, beta: Float, sweeps: Int = 400, fromZero: Bool = true) {
        x.withUnsafeBufferPointer { xb in t.withUnsafeBufferPointer { tb in
            if fromZero { n.reset(input: xb.baseAddress!) }
            for _ in 0..<sweeps { n.sweep(beta: beta, target: tb.baseAddress!) }
        } }
    }

    static func freeCost(_ n: EqPropNetwork) -> Double {
        var m = n
        relax(&m, beta: 0)
        return t.withUnsafeBufferPointer { Double(m.cost($0.baseAddress!)) }
    }

    /// dC/dtheta at the free fixed point by central differences of C(s*(theta)), h = 1e-3.
    static func finiteDifferenceGradient(_ n: EqPropNetwork) -> [Float] {
        var g = [Float](repeating: 0, count: n.layout.paramCount)
        for i in 0..<g.count {
            var p = n, m = n
            p.params[i] += 1e-3
            m.params[i] -= 1e-3
            g[i] = Float((freeCost(p) - freeCost(m)) / 2e-3)
        }
        return g
    }

    @Test func relaxationReachesAFixedPoint() {
        var n = Self.net()
        Self.relax(&n, beta: 0, sweeps: 200)
        let a = n.state
        Self.relax(&n, beta: 0, sweeps: 1, fromZero: false)
        let change = zip(a, n.state).map { abs($0 - $1) }.max() ?? 1
        #expect(change < 1e-6)
        let interior = a.filter { $0 > 0 && $0 < 1 }.count
        #expect(interior >= 6, "units inside (0, 1): \(interior) of \(a.count)")
    }

    @Test func implicitGradientEqualsFiniteDifferences() {
        var n = Self.net()
        let fd = Self.finiteDifferenceGradient(n)
        Self.relax(&n, beta: 0)
        let g = n.implicitGradient(at: n.state, target: Self.t)
        #expect(cosineSimilarity(g, fd) > 0.999)
        let scale = fd.map { abs($0) }.max() ?? 0
        #expect(scale > 1e-2)
        for i in g.indices { #expect(abs(g[i] - fd[i]) < 2e-3 + 0.02 * scale, "parameter \(i): \(g[i]) vs \(fd[i])") }
    }

    /// The EP update (rho rho^T|beta - rho rho^T|0) / beta points along -dC/dtheta: cosine > 0.99
    /// at beta = 0.01 with one-sided nudging, and the symmetric estimate is closer still.
    @Test func equilibriumPropagationMatchesTheGradientAtSmallBeta() {
        let base = Self.net()
        let fd = Self.finiteDifferenceGradient(base).map { -$0 }
        var n = base
        Self.relax(&n, beta: 0)
        let free = n.state
        Self.relax(&n, beta: 0.01, fromZero: false)
        var ep = [Float](repeating: 0, count: fd.count)
        n.contrast(nudged: n.state, free: free, beta: 0.01, into: &ep)
        let oneSided = cosineSimilarity(ep, fd)
        #expect(oneSided > 0.99)
        let plus = n.state
        n.state = free
        Self.relax(&n, beta: -0.01, fromZero: false)
        var sym = [Float](repeating: 0, count: fd.count)
        n.contrast(nudged: plus, free: n.state, beta: 0.02, into: &sym)
        #expect(cosineSimilarity(sym, fd) > 0.995)
        // A large beta biases the one-sided estimate away from the gradient.
        var big = base
        Self.relax(&big, beta: 0)
        let free2 = big.state
        Self.relax(&big, beta: 2, fromZero: false)
        var epBig = [Float](repeating: 0, count: fd.count)
        big.contrast(nudged: big.state, free: free2, beta: 2, into: &epBig)
        #expect(cosineSimilarity(epBig, fd) < oneSided)
    }

    /// A cosine with a zero vector is undefined: NaN (drawn as a gap), not 0.
    @Test func cosineOfAZeroVectorIsNaN() {
        #expect(cosineSimilarity([0, 0, 0], [1, 2, 3]).isNaN)
        #expect(cosineSimilarity([1, 0], [0, 0]).isNaN)
        #expect(abs(cosineSimilarity([1, 1], [2, 2]) - 1) < 1e-12)
    }

    /// With batch = B the weights change only after every B-th sample, by eta times the mean of
    /// the B EP updates: two samples with batch 2 give half the sum of the two online updates
    /// computed at the same (unchanged) weights.
    @Test func miniBatchAppliesTheMeanUpdateEveryBSamples() {
        let task = Tasks.digits()
        let relax = 5
        func make(_ batch: Int) -> EqPropSimulation {
            EqPropSimulation(config: .init(sizes: [64, 16, 10], rules: [EqPropPositive(beta: 0.2, eta: 0.1)], start: 0, relaxSteps: relax,
                                           gain: 0.5, bias: 0.1, batch: batch), task: task, seed: 3)
        }
        var batched = make(2)
        let p0 = batched.net.params
        batched.advance(2 * relax)
        #expect(batched.net.params == p0, "no change after the first sample of a batch")
        batched.advance(2 * relax)
        // Online with eta/2 from the same start: the first update moves the weights, so only
        // the first sample's contribution is exactly comparable; check the direction instead.
        var online = make(1)
        online.advance(2 * relax)
        let d1 = zip(online.net.params, p0).map { $0 - $1 }
        let db = zip(batched.net.params, p0).map { $0 - $1 }
        #expect(db.contains { $0 != 0 })
        #expect(cosineSimilarity(d1, db) > 0.3)
    }
}
