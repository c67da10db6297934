import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sigmoid layer stack stepped by a forward-only rule on one fixed batch (structured
/// knowledge accumulation, Bouarfa Mahi, arXiv 2504.03214, as in the authors' code):
///
///     z_k^(l) = D_k^(l−1) W^(l) + b^(l),  D_k^(l) = sigmoid(z_k^(l)),  D^(0) = x
///
/// Step 1 is a forward pass only; from step 2 each layer gets ΔD = D_k − D_{k−1}, its entropy
/// H_k = −(1/ln 2) Σ z ⊙ ΔD, alignment cos θ = z·ΔD / (‖z‖ ‖ΔD‖), Tensor Net
/// Σ (D − ∇_z H) ⊙ ΔZ with ∇_z H = −(1/ln 2) z D (1 − D) and ΔZ = z_k − z_{k−1}, knowledge flow
/// ‖ΔZ‖ / η, and the rule's update with the layer below's decisions of step k − 1.
/// W^(l) is inputs × units (row-major); the batch is B rows.
public struct SKANetwork: Sendable {
    /// Per-step readouts of one layer (NaN at the forward-only first step).
    public struct LayerReadout: Sendable, Equatable {
        public var entropy = Float.nan
        public var cosTheta = Float.nan
        public var tensorNet = Float.nan
        public var flow = Float.nan
    }

    public let sizes: [Int]
    public let batch: Int
    public let eta: Float
    public private(set) var w: [Matrix]
    public private(set) var b: [[Float]]
    public private(set) var steps = 0
    /// Cumulative entropy Σ_k H_k per layer.
    public private(set) var cumulativeEntropy: [Double]
    public private(set) var last: [LayerReadout]
    private let x: Matrix
    private var z: [Matrix], zPrev: [Matrix]
    private var d: [Matrix], dPrev: [Matrix]
    private var g: [Matrix], deltaD: [Matrix]

    /// `x` is batch × sizes[0]; `w`, `b` the initial weights (shared by every η preset).
    public init(x: Matrix, sizes: [Int], w: [Matrix], b: [[Float]], eta: Float) {
        precondition(sizes.count >= 2 && x.cols == sizes[0] && w.count == sizes.count - 1 && eta > 0)
        self.x = x
        let batch = x.rows
        self.batch = batch
        self.sizes = sizes
        self.w = w
        self.b = b
        self.eta = eta
        let shapes = sizes.dropFirst().map { Matrix(rows: batch, cols: $0) }
        z = shapes; zPrev = shapes; d = shapes; dPrev = shapes; g = shapes; deltaD = shapes
        cumulativeEntropy = [Double](repeating: 0, count: sizes.count - 1)
        last = [LayerReadout](repeating: LayerReadout(), count: sizes.count - 1)
    }

    /// Initial weights W ~ N(0, sd²), b = 0 for `sizes`.
    public static func initialWeights(sizes: [Int], sd: Float, rng: inout RNG) -> (w: [Matrix], b: [[Float]]) {
        let w = (0..<(sizes.count - 1)).map { l in Matrix(rows: sizes[l], cols: sizes[l + 1]) { _, _ in sd * rng.normal() } }
        return (w, sizes.dropFirst().map { [Float](repeating: 0, count: $0) })
    }

    /// The decisions of layer `l` (0-based hidden/output layer) at the last step, batch × units.
    public func decisions(_ l: Int) -> Matrix { d[l] }

    private mutating func forward() {
        for l in 0..<(sizes.count - 1) {
            swap(&z[l], &zPrev[l])
            swap(&d[l], &dPrev[l])
            let nOut = sizes[l + 1]
            Kernels.gemm(l == 0 ? x : d[l - 1], w[l], into: &z[l])
            for r in 0..<batch {
                for j in 0..<nOut {
                    let k = r * nOut + j
                    z[l].storage[k] += b[l][j]
                    d[l].storage[k] = 1 / (1 + expf(-z[l].storage[k]))
                }
            }
        }
    }

    /// One step: a forward pass, then (from the second step) readouts and the rule's update.
    public mutating func step(rule: any ForwardOnlyRule) {
        forward()
        steps += 1
        guard steps >= 2 else { return }
        let c = -SKARule.invLn2
        for l in 0..<(sizes.count - 1) {
            var zz = 0.0, dd = 0.0, zd = 0.0, tn = 0.0, dz2 = 0.0
            for k in z[l].storage.indices {
                let zk = z[l].storage[k], dk = d[l].storage[k]
                let delta = dk - dPrev[l].storage[k], dz = zk - zPrev[l].storage[k]
                deltaD[l].storage[k] = delta
                zz += Double(zk * zk); dd += Double(delta * delta); zd += Double(zk * delta)
                tn += Double((dk - c * zk * dk * (1 - dk)) * dz)
                dz2 += Double(dz * dz)
            }
            let h = Double(c) * zd
            cumulativeEntropy[l] += h
            last[l] = LayerReadout(entropy: Float(h), cosTheta: zz > 0 && dd > 0 ? Float(zd / (zz * dd).squareRoot()) : .nan,
                                   tensorNet: Float(tn), flow: Float(dz2.squareRoot()) / eta)
            rule.signal(z: z[l].storage, d: d[l].storage, deltaD: deltaD[l].storage, into: &g[l].storage)
        }
        // Updates after every layer's signal, each with the layer below's previous decisions.
        for l in 0..<(sizes.count - 1) {
            let nOut = sizes[l + 1]
            Kernels.gemm(l == 0 ? x : dPrev[l - 1], g[l], into: &w[l], alpha: -eta / Float(batch), beta: 1, transA: true)
            for j in 0..<nOut {
                var s: Float = 0
                for r in 0..<batch { s += g[l].storage[r * nOut + j] }
                b[l][j] -= eta * s / Float(batch)
            }
        }
    }
}
