#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// Two-modality late-fusion classifier (science page 34, after the IEMF authors' code): each
/// modality m ∈ {a, v} (here the top and bottom 32 pixels of a digit) has a ReLU encoder
/// h_m = relu(W_m x_m + b_m); the fused head reads the concatenation, o_av = W_f [h_a; h_v] + b_f,
/// and each modality has a linear unimodal head o_m = H_m h_m + c_m. Loss
/// L = CE(o_av) + CE(o_a) + CE(o_v); with `detached` heads the unimodal losses train only their
/// heads (probes), otherwise also the encoders (the code's variant). SGD with momentum.
public struct FusionNet: Sendable {
    /// Parameter blocks, in this order: W_a, b_a, W_v, b_v, W_f, b_f, H_a, c_a, H_v, c_v.
    public var params: [Matrix]
    var velocity: [Matrix]
    public let split: Int
    public let hidden: Int
    public let classes: Int
    static let fusionBlocks = 4...5

    /// Outputs of the last pass (softmax probabilities) and what backward needs.
    public private(set) var probs: (av: Matrix, a: Matrix, v: Matrix)
    private var xa = Matrix(rows: 0, cols: 0), xv = Matrix(rows: 0, cols: 0)
    private var ha = Matrix(rows: 0, cols: 0), hv = Matrix(rows: 0, cols: 0), hcat = Matrix(rows: 0, cols: 0)

    /// He-normal weights, zero biases, from `rng`; `split` inputs go to modality a, the rest to v.
    public init(inputs: Int, split: Int, hidden: Int, classes: Int, rng: inout RNG) {
        precondition(split > 0 && split < inputs && hidden > 0)
        self.split = split; self.hidden = hidden; self.classes = classes
        func weights(_ rows: Int, _ cols: Int) -> Matrix {
            let sd = (2 / Float(cols)).squareRoot()
            return Matrix(rows: rows, cols: cols) { _, _ in sd * rng.normal() }
        }
        params = [weights(hidden, split), Matrix(rows: 1, cols: hidden), weights(hidden, inputs - split), Matrix(rows: 1, cols: hidden),
                  weights(classes, 2 * hidden), Matrix(rows: 1, cols: classes),
                  weights(classes, hidden), Matrix(rows: 1, cols: classes), weights(classes, hidden), Matrix(rows: 1, cols: classes)]
        velocity = params.map { Matrix(rows: $0.rows, cols: $0.cols) }
        let empty = Matrix(rows: 0, cols: classes)
        probs = (empty, empty, empty)
    }

    /// z = x Wᵀ + 1 bᵀ.
    static func affine(_ x: Matrix, _ w: Matrix, _ b: Matrix) -> Matrix {
        var z = Matrix(rows: x.rows, cols: w.rows)
        Kernels.gemm(x, w, into: &z, transB: true)
        for i in 0..<x.rows { for j in 0..<w.rows { z.storage[i * w.rows + j] += b.storage[j] } }
        return z
    }

    static func softmaxRows(_ z: inout Matrix) {
        let k = z.cols
        for i in 0..<z.rows {
            var m = -Float.infinity
            for j in 0..<k { m = max(m, z.storage[i * k + j]) }
            var s: Float = 0
            for j in 0..<k { let e = Float(exp(Double(z.storage[i * k + j] - m))); z.storage[i * k + j] = e; s += e }
            for j in 0..<k { z.storage[i * k + j] /= s }
        }
    }

    /// Forward pass of the two modality blocks (rows = samples).
    public mutating func forward(a: Matrix, v: Matrix) {
        xa = a; xv = v
        ha = Self.affine(a, params[0], params[1]); hv = Self.affine(v, params[2], params[3])
        for k in ha.storage.indices { ha.storage[k] = max(0, ha.storage[k]) }
        for k in hv.storage.indices { hv.storage[k] = max(0, hv.storage[k]) }
        let n = a.rows, h = hidden
        hcat = Matrix(rows: n, cols: 2 * h)
        for i in 0..<n {
            for j in 0..<h { hcat.storage[i * 2 * h + j] = ha.storage[i * h + j]; hcat.storage[i * 2 * h + h + j] = hv.storage[i * h + j] }
        }
        var oav = Self.affine(hcat, params[4], params[5]), oa = Self.affine(ha, params[6], params[7]), ov = Self.affine(hv, params[8], params[9])
        Self.softmaxRows(&oav); Self.softmaxRows(&oa); Self.softmaxRows(&ov)
        probs = (oav, oa, ov)
    }

    /// Confidence scores s_m = Σ_batch softmax(o_m)[y] of the last pass, for (a, v, av).
    public func confidence(_ labels: [Int]) -> (a: Float, v: Float, av: Float) {
        var s: (a: Float, v: Float, av: Float) = (0, 0, 0)
        let k = classes
        for (i, y) in labels.enumerated() {
            s.a += probs.a.storage[i * k + y]; s.v += probs.v.storage[i * k + y]; s.av += probs.av.storage[i * k + y]
        }
        return s
    }

    /// Gradients of L = CE(o_av) + CE(o_a) + CE(o_v) (batch means) for every block.
    public func gradients(labels: [Int], detached: Bool) -> [Matrix] {
        let n = labels.count, k = classes, h = hidden, inv = 1 / Float(n)
        func outputError(_ p: Matrix) -> Matrix {
            var d = p
            for (i, y) in labels.enumerated() { d.storage[i * k + y] -= 1 }
            for t in d.storage.indices { d.storage[t] *= inv }
            return d
        }
        let dav = outputError(probs.av), da = outputError(probs.a), dv = outputError(probs.v)
        var g = params.map { Matrix(rows: $0.rows, cols: $0.cols) }
        func head(_ d: Matrix, _ x: Matrix, _ wi: Int) {
            Kernels.gemm(d, x, into: &g[wi], transA: true)
            for i in 0..<n { for j in 0..<d.cols { g[wi + 1].storage[j] += d.storage[i * d.cols + j] } }
        }
        head(dav, hcat, 4); head(da, ha, 6); head(dv, hv, 8)
        var dcat = Matrix(rows: n, cols: 2 * h)
        Kernels.gemm(dav, params[4], into: &dcat)
        var dha = Matrix(rows: n, cols: h), dhv = Matrix(rows: n, cols: h)
        for i in 0..<n {
            for j in 0..<h { dha.storage[i * h + j] = dcat.storage[i * 2 * h + j]; dhv.storage[i * h + j] = dcat.storage[i * 2 * h + h + j] }
        }
        if !detached {
            Kernels.gemm(da, params[6], into: &dha, beta: 1)
            Kernels.gemm(dv, params[8], into: &dhv, beta: 1)
        }
        for t in dha.storage.indices where ha.storage[t] <= 0 { dha.storage[t] = 0 }
        for t in dhv.storage.indices where hv.storage[t] <= 0 { dhv.storage[t] = 0 }
        head(dha, xa, 0); head(dhv, xv, 2)
        return g
    }

    /// Momentum SGD on every block: v ← μ v + g, θ ← θ − η v.
    public mutating func descend(_ g: [Matrix], eta: Float, momentum: Float) {
        for p in params.indices {
            for t in params[p].storage.indices {
                velocity[p].storage[t] = momentum * velocity[p].storage[t] + g[p].storage[t]
                params[p].storage[t] -= eta * velocity[p].storage[t]
            }
        }
    }

    /// Fraction of rows whose largest probability is the label, for each output of the last pass.
    public func accuracies(_ labels: [Int]) -> (a: Double, v: Double, av: Double) {
        func acc(_ p: Matrix) -> Double {
            guard p.rows > 0 else { return .nan }
            var hits = 0
            for (i, y) in labels.enumerated() {
                var best = 0
                for j in 1..<p.cols where p.storage[i * p.cols + j] > p.storage[i * p.cols + best] { best = j }
                if best == y { hits += 1 }
            }
            return Double(hits) / Double(p.rows)
        }
        return (acc(probs.a), acc(probs.v), acc(probs.av))
    }
}
