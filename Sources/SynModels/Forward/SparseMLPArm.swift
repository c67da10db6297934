import SynCore

/// One arm of the G2GNet comparison: a ReLU MLP whose masked layers keep only the edges of a
/// 0/1 mask (inactive weights are held at exactly 0, so the dense `BatchMLP` passes compute the
/// masked network and the dense gradient that gradient regrowth reads), trained by Adam on the
/// active parameters, optionally rewired by dynamic sparse training.
///
/// A rewiring event with prune fraction ζ, in every masked layer: the k = round(ζ · active)
/// active edges of smallest |w| are pruned (w = 0), then the k highest-scoring candidates (allowed
/// by the wiring, inactive, not pruned in this event) under a `RegrowthRule` become active at
/// w = 0 with fresh Adam moments; the edge count is unchanged.
public struct SparseMLPArm: Sendable {
    /// Parameters θ (`MLPLayout` order) and the 0/1 mask of trainable entries (biases and
    /// unmasked layers are all 1).
    public private(set) var theta: [Float]
    public private(set) var mask: [Float]
    /// The wiring of each masked layer (nil: a dense layer).
    public let wiring: [EnsembleWiring?]
    /// Running pre/post correlation of each masked layer (outputs × inputs), when tracked.
    public private(set) var correlation: [[Float]]
    /// The mask at construction (for edge survival).
    public let initialMask: [Float]
    /// Parameter indices pruned and regrown at the last rewiring event.
    public private(set) var lastPruned: [Int] = []
    public private(set) var lastRegrown: [Int] = []
    /// The last minibatch gradient (dense) and loss.
    public private(set) var gradient: [Float]
    public private(set) var lastLoss = Double.nan
    public private(set) var events = 0
    let layout: MLPLayout
    let tracksCorrelation: Bool
    var optimizer: AdamW
    var state: DynamicsRuleState

    /// θ0 masked (and rescaled by 1/√density per masked layer, so each unit's input variance is
    /// that of the dense net); `masks[l]` nil keeps layer l dense.
    public init(layout: MLPLayout, theta0: [Float], wiring: [EnsembleWiring?], masks: [[Float]?], eta: Float,
                tracksCorrelation: Bool) {
        precondition(wiring.count == layout.layers && masks.count == layout.layers && theta0.count == layout.paramCount)
        self.layout = layout
        self.wiring = wiring
        self.tracksCorrelation = tracksCorrelation
        var theta = theta0
        var mask = [Float](repeating: 1, count: layout.paramCount)
        for l in 0..<layout.layers {
            guard let m = masks[l] else { continue }
            let o = layout.wOffset[l], n = layout.weightCount(l)
            precondition(m.count == n)
            let density = m.reduce(0, +) / Float(n)
            let gain = density > 0 ? 1 / density.squareRoot() : 0
            for k in 0..<n {
                mask[o + k] = m[k]
                theta[o + k] *= m[k] * gain
            }
        }
        self.theta = theta
        self.mask = mask
        initialMask = mask
        correlation = (0..<layout.layers).map { l in
            tracksCorrelation && masks[l] != nil ? [Float](repeating: 0, count: layout.weightCount(l)) : []
        }
        gradient = [Float](repeating: 0, count: layout.paramCount)
        optimizer = AdamW(RuleParameterValues(AdamW.parameters, given: ["eta": Double(eta), "weight_decay": 0]))
        state = DynamicsRuleState(count: layout.paramCount)
    }

    /// One Adam step on the minibatch (x, one-hot t); updates the correlations with decay ρ.
    public mutating func train(_ net: inout BatchMLP, x: Matrix, t: Matrix, rho: Float) {
        lastLoss = Double(net.lossAndGradient(theta, x: x, t: t, into: &gradient))
        if tracksCorrelation {
            let n = x.rows
            for l in 0..<layout.layers where !correlation[l].isEmpty {
                let pre = net.activity(l), post = net.activity(l + 1)
                let (i, o) = (layout.sizes[l], layout.sizes[l + 1])
                pre.storage.withUnsafeBufferPointer { a in
                    post.storage.withUnsafeBufferPointer { b in
                        correlation[l].withUnsafeMutableBufferPointer { c in
                            guard let ap = a.baseAddress, let bp = b.baseAddress, let cp = c.baseAddress else { return }
                            Gemm.sgemm(m: o, n: i, k: n, alpha: (1 - rho) / Float(n), a: bp, lda: o, transA: true,
                                       b: ap, ldb: i, transB: false, beta: rho, c: cp, ldc: i)
                        }
                    }
                }
            }
        }
        optimizer.update(&theta, gradient: gradient, mask: mask, state: &state)
    }

    /// Test accuracy on (x, labels).
    public func accuracy(_ net: inout BatchMLP, x: Matrix, labels: [Int]) -> Double {
        net.forward(theta, x: x)
        return net.accuracy(labels)
    }

    /// One rewiring event with prune fraction `fraction` in every masked layer (see the type).
    public mutating func rewire(fraction: Double, rule: any RegrowthRule, rng: inout RNG) {
        lastPruned = []
        lastRegrown = []
        events += 1
        for l in 0..<layout.layers {
            guard let w = wiring[l] else { continue }
            let o = layout.wOffset[l], n = layout.weightCount(l)
            let active = (0..<n).filter { mask[o + $0] != 0 }
            let k = min(Int((fraction * Double(active.count)).rounded()), active.count)
            guard k > 0 else { continue }
            // Smallest |w| first; ties by index keep it deterministic.
            let pruned = active.sorted { (abs(theta[o + $0]), $0) < (abs(theta[o + $1]), $1) }.prefix(k)
            var justPruned = [Bool](repeating: false, count: n)
            for e in pruned { justPruned[e] = true; setEdge(o + e, on: false) }
            let c = correlation[l]
            var scored: [(Float, Int)] = []
            for e in 0..<n where w.allowed[e] && mask[o + e] == 0 && !justPruned[e] {
                scored.append((rule.score(gradient: gradient[o + e], correlation: c.isEmpty ? 0 : c[e], rng: &rng), e))
            }
            scored.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
            // Too few candidates (a nearly full block): the pruned edges come back.
            let regrow = scored.prefix(k).map(\.1) + pruned.prefix(max(0, k - scored.count))
            for e in regrow { setEdge(o + e, on: true) }
            lastPruned += pruned.map { o + $0 }
            lastRegrown += regrow.map { o + $0 }
        }
    }

    /// Turns an edge on or off at w = 0 with fresh Adam moments.
    private mutating func setEdge(_ p: Int, on: Bool) {
        mask[p] = on ? 1 : 0
        theta[p] = 0
        state.m[p] = 0
        state.v[p] = 0
    }

    /// Fraction of masked-layer weights that are inactive.
    public var sparsity: Double {
        var off = 0, total = 0
        for l in 0..<layout.layers where wiring[l] != nil {
            let o = layout.wOffset[l]
            for k in 0..<layout.weightCount(l) { total += 1; if mask[o + k] == 0 { off += 1 } }
        }
        return total > 0 ? Double(off) / Double(total) : 0
    }

    /// Fraction of the initial masked-layer edges that are active now (NaN without masked layers).
    public var edgeSurvival: Double {
        var alive = 0, initial = 0
        for l in 0..<layout.layers where wiring[l] != nil {
            let o = layout.wOffset[l]
            for k in 0..<layout.weightCount(l) where initialMask[o + k] != 0 {
                initial += 1
                if mask[o + k] != 0 { alive += 1 }
            }
        }
        return initial > 0 ? Double(alive) / Double(initial) : .nan
    }

    /// Mean |C| over active edges divided by the mean |C| over allowed inactive edges of the
    /// masked layers (> 1: the wiring sits where activity co-varies). NaN when not tracked, when
    /// nothing is allowed and inactive, or before any correlation.
    public var correlationRatio: Double {
        var on = 0.0, nOn = 0, off = 0.0, nOff = 0
        for l in 0..<layout.layers where !correlation[l].isEmpty {
            guard let w = wiring[l] else { continue }
            let o = layout.wOffset[l]
            for k in 0..<layout.weightCount(l) where w.allowed[k] {
                if mask[o + k] != 0 { on += Double(abs(correlation[l][k])); nOn += 1 } else { off += Double(abs(correlation[l][k])); nOff += 1 }
            }
        }
        guard nOn > 0, nOff > 0, off > 0 else { return .nan }
        return (on / Double(nOn)) / (off / Double(nOff))
    }
}
