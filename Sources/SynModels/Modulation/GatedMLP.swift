#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// A ReLU classifier whose hidden units carry a neuromodulatory threshold τ_j and gain g_j
/// (science page 12, TauGate, reconstructed): h_j = g_j · relu(z_j) · gate(z_j − τ_j) with
/// z = W h_prev + b, and softmax cross-entropy on the output. The gate is 1 (`off`, the plain
/// network), σ((z − τ)/T) (`soft`, for training) or 1[z > τ] (`hard`, for inference).
/// Optional rank-r LoRA adapters add B_l A_l to the weights into each hidden layer.
/// Batch passes with `Kernels.gemm`; row i of every matrix is sample i.
public struct GatedMLP: Sendable {
    public enum Gate: Sendable, Equatable {
        case off, hard
        case soft(temperature: Float)
    }

    /// Low-rank weight change ΔW = B A of one hidden layer (B: out × r, starts at 0; A: r × in).
    public struct LoRA: Sendable, Equatable {
        public var a: Matrix
        public var b: Matrix
    }

    /// Parameter gradients of one batch (same shapes as the parameters; dW is with respect to
    /// the effective weights W + B A).
    public struct Gradients: Sendable {
        public var w: [Matrix]
        public var b: [[Float]]
        public var tau: [[Float]]
        public var gain: [[Float]]
    }

    public let sizes: [Int]
    public var w: [Matrix]
    public var b: [[Float]]
    /// Per hidden layer: thresholds τ (init 0) and gains g (init 1).
    public var tau: [[Float]]
    public var gain: [[Float]]
    public var lora: [LoRA]?

    /// Net inputs z_l and activities h_l (h_0 = input) of the last forward pass.
    public private(set) var z: [Matrix] = []
    public private(set) var h: [Matrix] = []
    private var lastGate: Gate = .off

    public var hiddenLayers: Int { sizes.count - 2 }
    public var hiddenUnits: Int { sizes.dropFirst().dropLast().reduce(0, +) }

    /// W_l ~ N(0, 2 / fan_in) (He), b = 0, τ = 0, g = 1.
    public init(sizes: [Int], rng: inout RNG) {
        precondition(sizes.count >= 3 && sizes.allSatisfy { $0 > 0 })
        self.sizes = sizes
        w = (0..<(sizes.count - 1)).map { l in
            let sd = (2 / Float(sizes[l])).squareRoot()
            return Matrix(rows: sizes[l + 1], cols: sizes[l]) { _, _ in sd * rng.normal() }
        }
        b = sizes.dropFirst().map { [Float](repeating: 0, count: $0) }
        tau = sizes.dropFirst().dropLast().map { [Float](repeating: 0, count: $0) }
        gain = sizes.dropFirst().dropLast().map { [Float](repeating: 1, count: $0) }
    }

    /// Adds rank-`rank` adapters, A ~ N(0, 1 / fan_in), B = 0 (the function is unchanged).
    public mutating func attachLoRA(rank: Int, rng: inout RNG) {
        lora = (0..<hiddenLayers).map { l in
            let sd = 1 / Float(sizes[l]).squareRoot()
            return LoRA(a: Matrix(rows: rank, cols: sizes[l]) { _, _ in sd * rng.normal() },
                        b: Matrix(rows: sizes[l + 1], cols: rank))
        }
    }

    /// W_l + B_l A_l (W_l alone without adapters or for the output layer).
    public func effectiveWeights(_ l: Int) -> Matrix {
        guard let lora, l < lora.count else { return w[l] }
        var m = w[l]
        Kernels.gemm(lora[l].b, lora[l].a, into: &m, beta: 1)
        return m
    }

    /// The gate's value and its derivative with respect to u = z − τ.
    @inline(__always)
    static func gate(_ u: Float, _ g: Gate) -> (value: Float, slope: Float) {
        switch g {
        case .off: return (1, 0)
        case .hard: return (u > 0 ? 1 : 0, 0)
        case .soft(let t):
            let s = 1 / (1 + Float(exp(Double(-u / t))))
            return (s, s * (1 - s) / t)
        }
    }

    /// Forward pass of the rows of x; returns the softmax outputs (rows × classes).
    @discardableResult
    public mutating func forward(_ x: Matrix, gate: Gate) -> Matrix {
        lastGate = gate
        z = []; h = [x]
        let n = x.rows, last = sizes.count - 2
        for l in 0...last {
            var zl = Matrix(rows: n, cols: sizes[l + 1])
            Kernels.gemm(h[l], effectiveWeights(l), into: &zl, transB: true)
            let k = sizes[l + 1]
            for i in 0..<n { for j in 0..<k { zl.storage[i * k + j] += b[l][j] } }
            var a = zl
            if l < last {
                for i in 0..<n {
                    for j in 0..<k {
                        let v = zl.storage[i * k + j]
                        a.storage[i * k + j] = v > 0 ? gain[l][j] * v * Self.gate(v - tau[l][j], gate).value : 0
                    }
                }
            } else {
                for i in 0..<n {
                    var m = -Float.infinity
                    for j in 0..<k { m = max(m, zl.storage[i * k + j]) }
                    var s: Float = 0
                    for j in 0..<k { let e = Float(exp(Double(zl.storage[i * k + j] - m))); a.storage[i * k + j] = e; s += e }
                    for j in 0..<k { a.storage[i * k + j] /= s }
                }
            }
            z.append(zl); h.append(a)
        }
        return h[h.count - 1]
    }

    /// Mean cross-entropy of the last forward pass against `labels` and its gradients.
    public func backward(labels: [Int]) -> (loss: Float, grads: Gradients) {
        let n = labels.count, layers = sizes.count - 1
        precondition(h.count == layers + 1 && h[layers].rows == n)
        var gw = w.map { Matrix(rows: $0.rows, cols: $0.cols) }
        var gb = b.map { [Float](repeating: 0, count: $0.count) }
        var gtau = tau.map { [Float](repeating: 0, count: $0.count) }
        var ggain = gain.map { [Float](repeating: 0, count: $0.count) }
        var delta = h[layers]
        var loss: Double = 0
        let inv = 1 / Float(n), k = sizes[layers]
        for i in 0..<n {
            loss -= log(Double(max(delta.storage[i * k + labels[i]], 1e-30)))
            delta.storage[i * k + labels[i]] -= 1
        }
        for t in delta.storage.indices { delta.storage[t] *= inv }
        for l in stride(from: layers - 1, through: 0, by: -1) {
            Kernels.gemm(delta, h[l], into: &gw[l], transA: true)
            let m = sizes[l + 1]
            for i in 0..<n { for j in 0..<m { gb[l][j] += delta.storage[i * m + j] } }
            guard l > 0 else { break }
            var dh = Matrix(rows: n, cols: sizes[l])
            Kernels.gemm(delta, effectiveWeights(l), into: &dh)
            // Through h = g relu(z) gate(z − τ): ∂h/∂z = g (1[z>0] s + relu(z) s'),
            // ∂h/∂g = relu(z) s, ∂h/∂τ = −g relu(z) s'.
            let p = l - 1, c = sizes[l]
            for i in 0..<n {
                for j in 0..<c {
                    let v = z[p].storage[i * c + j], d = dh.storage[i * c + j]
                    guard v > 0 else { dh.storage[i * c + j] = 0; continue }
                    let (s, ds) = Self.gate(v - tau[p][j], lastGate)
                    ggain[p][j] += d * v * s
                    gtau[p][j] -= d * gain[p][j] * v * ds
                    dh.storage[i * c + j] = d * gain[p][j] * (s + v * ds)
                }
            }
            delta = dh
        }
        return (Float(loss / Double(n)), Gradients(w: gw, b: gb, tau: gtau, gain: ggain))
    }

    /// Fraction of rows whose largest output is the label, and the fraction of hidden
    /// activities that are nonzero (open gates of active units), for the rows of x.
    public mutating func evaluate(_ x: Matrix, labels: [Int], gate: Gate) -> (accuracy: Double, open: Double) {
        let p = forward(x, gate: gate)
        let k = sizes[sizes.count - 1]
        var hits = 0
        for i in 0..<x.rows {
            var best = 0
            for j in 1..<k where p.storage[i * k + j] > p.storage[i * k + best] { best = j }
            if best == labels[i] { hits += 1 }
        }
        var open = 0, total = 0
        for l in 1...hiddenLayers { open += h[l].storage.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }; total += h[l].storage.count }
        return (x.rows > 0 ? Double(hits) / Double(x.rows) : .nan, total > 0 ? Double(open) / Double(total) : .nan)
    }
}
