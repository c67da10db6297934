#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore

/// The classifier of the NHL test-time-adaptation scene (science page 2, Tang et al. CVPR 2023,
/// reconstructed): x (64) → z = W1 x + b1 → n = (z − μ)/√(σ² + ε) (build B only; build A has
/// n = z) → m = γ ⊙ n + β (the modulator, γ = 1, β = 0 at the start) → h = relu(m) →
/// p = softmax(W2 h + b2). W1 lives in a `HebbianLayer` so the existing SoftHebb rule can adapt
/// it; μ, σ² are `NormalisationStatistics`. Batch passes with `Kernels.gemm`, row i = sample i.
public struct NHLNetwork: Sendable {
    /// Where the normalisation takes its mean and variance from.
    public enum Statistics: Sendable, Equatable {
        /// The running statistics stored in `statistics` (inference, test-time adaptation).
        case running
        /// The batch's own mean and variance (source training, batch-norm style).
        case batch
    }

    /// Activities of one batch pass: input, pre-normalisation z, normalised n, hidden h, output p,
    /// and the mean and 1/√(σ² + ε) the normalisation used (empty in build A).
    public struct Pass: Sendable {
        public var x: Matrix
        public var z: Matrix
        public var normalised: Matrix
        public var h: Matrix
        public var p: Matrix
        public var mean: [Float]
        public var inverseSD: [Float]
    }

    /// Parameter gradients of one batch (shapes of the parameters).
    public struct Gradients: Sendable {
        public var w1: Matrix
        public var b1: [Float]
        public var gamma: [Float]
        public var beta: [Float]
        public var w2: Matrix
        public var b2: [Float]
    }

    /// ε of the normalisation's √(σ² + ε).
    public static let epsilon: Float = 1e-5

    /// The first (Hebbian) layer: W1 is `layer.weights` (hidden × inputs).
    public var layer: HebbianLayer
    public var b1: [Float]
    /// Per-unit running mean and variance of z (build B); nil in build A.
    public var statistics: NormalisationStatistics?
    public var gamma: [Float]
    public var beta: [Float]
    public var w2: Matrix
    public var b2: [Float]

    public var inputs: Int { layer.inputs }
    public var hidden: Int { layer.outputs }
    public var classes: Int { w2.rows }
    public var normalised: Bool { statistics != nil }

    /// W ~ N(0, 2 / fan_in) (He, `MLPLayout.heInitialised`), biases 0, γ = 1, β = 0; with
    /// `normalisation`, statistics μ = 0, σ² = 1 until measured.
    public init(inputs: Int, hidden: Int, classes: Int, normalisation: Bool, rng: inout RNG) {
        let lay = MLPLayout(sizes: [inputs, hidden, classes])
        let theta = lay.heInitialised(rng: &rng)
        var unused = RNG(seed: 0)
        var first = HebbianLayer(inputs: inputs, outputs: hidden, initScale: 0, rng: &unused)
        first.weights = Matrix(rows: hidden, cols: inputs, storage: Array(theta[lay.wOffset[0]..<lay.bOffset[0]]))
        layer = first
        b1 = [Float](repeating: 0, count: hidden)
        statistics = normalisation ? NormalisationStatistics(units: hidden) : nil
        gamma = [Float](repeating: 1, count: hidden)
        beta = [Float](repeating: 0, count: hidden)
        w2 = Matrix(rows: classes, cols: hidden, storage: Array(theta[lay.wOffset[1]..<lay.bOffset[1]]))
        b2 = [Float](repeating: 0, count: classes)
    }

    /// z = X W1ᵀ + 1 b1ᵀ for the rows of x.
    public func preActivation(_ x: Matrix) -> Matrix {
        var z = Matrix(rows: x.rows, cols: hidden)
        Kernels.gemm(x, layer.weights, into: &z, transB: true)
        for i in 0..<x.rows { for j in 0..<hidden { z.storage[i * hidden + j] += b1[j] } }
        return z
    }

    /// The forward pass of the rows of x.
    public func forward(_ x: Matrix, statistics source: Statistics = .running) -> Pass {
        let n = x.rows, k = hidden
        let z = preActivation(x)
        var normalisedZ = z
        var mean: [Float] = [], inverseSD: [Float] = []
        if let stats = statistics {
            let (mu, variance): ([Float], [Float])
            switch source {
            case .running: (mu, variance) = (stats.mean, stats.variance)
            case .batch: (mu, variance) = NormalisationStatistics.moments(of: z)
            }
            mean = mu
            inverseSD = variance.map { 1 / ($0 + Self.epsilon).squareRoot() }
            for i in 0..<n { for j in 0..<k { normalisedZ.storage[i * k + j] = (z.storage[i * k + j] - mu[j]) * inverseSD[j] } }
        }
        var h = normalisedZ
        for i in 0..<n { for j in 0..<k { h.storage[i * k + j] = gamma[j] * normalisedZ.storage[i * k + j] + beta[j] } }
        h.storage.withUnsafeMutableBufferPointer { hb in
            guard let a = hb.baseAddress else { return }
            Activation.relu.apply(a, a, n * k)
        }
        var p = Matrix(rows: n, cols: classes)
        Kernels.gemm(h, w2, into: &p, transB: true)
        let c = classes
        p.storage.withUnsafeMutableBufferPointer { pb in
            guard let base = pb.baseAddress else { return }
            for i in 0..<n {
                for j in 0..<c { base[i * c + j] += b2[j] }
                Activation.softmax.apply(base + i * c, base + i * c, c)
            }
        }
        return Pass(x: x, z: z, normalised: normalisedZ, h: h, p: p, mean: mean, inverseSD: inverseSD)
    }

    /// Mean cross-entropy of a pass against `labels` and ∂L/∂z_out = (p − onehot)/n.
    public static func crossEntropy(_ pass: Pass, labels: [Int]) -> (loss: Float, outputError: Matrix) {
        let n = pass.p.rows, c = pass.p.cols
        var d = pass.p
        var loss: Double = 0
        for i in 0..<n {
            loss -= log(Double(max(d.storage[i * c + labels[i]], 1e-30)))
            d.storage[i * c + labels[i]] -= 1
        }
        for t in d.storage.indices { d.storage[t] /= Float(n) }
        return (Float(loss / Double(max(1, n))), d)
    }

    /// Mean prediction entropy H = −(1/n) Σ_i Σ_c p_ic log p_ic (nats) of a pass and its
    /// gradient with respect to the output net input, ∂H/∂z_ic = −p_ic (log p_ic + H_i) / n.
    public static func entropy(_ pass: Pass) -> (entropy: Float, outputError: Matrix) {
        let n = pass.p.rows, c = pass.p.cols
        var d = pass.p
        var total: Double = 0
        for i in 0..<n {
            var hi: Double = 0
            for j in 0..<c {
                let p = Double(pass.p.storage[i * c + j])
                if p > 0 { hi -= p * log(p) }
            }
            total += hi
            for j in 0..<c {
                let p = Double(pass.p.storage[i * c + j])
                d.storage[i * c + j] = p > 0 ? Float(-p * (log(p) + hi) / Double(n)) : 0
            }
        }
        return (Float(total / Double(max(1, n))), d)
    }

    /// Backpropagates an output error (∂L/∂z_out of a pass) to every parameter. With
    /// `throughNormalisation` the pass used batch statistics and the error flows through them
    /// (batch-norm backward); test-time passes only read ∂L/∂γ, ∂L/∂β, which do not depend on it.
    public func backward(_ pass: Pass, outputError d: Matrix, throughNormalisation: Bool = true) -> Gradients {
        let n = pass.x.rows, k = hidden
        var gw2 = Matrix(rows: classes, cols: k)
        Kernels.gemm(d, pass.h, into: &gw2, transA: true)
        let gb2 = Self.columnSums(d)
        var dm = Matrix(rows: n, cols: k)
        Kernels.gemm(d, w2, into: &dm)
        // Through h = relu(m): ∂h/∂m = 1[m > 0] = 1[h > 0].
        for t in dm.storage.indices where pass.h.storage[t] <= 0 { dm.storage[t] = 0 }
        var ggamma = [Float](repeating: 0, count: k)
        for i in 0..<n { for j in 0..<k { ggamma[j] += dm.storage[i * k + j] * pass.normalised.storage[i * k + j] } }
        let gbeta = Self.columnSums(dm)
        // ∂L/∂n = γ ∂L/∂m; through the normalisation n = (z − μ) s with batch μ, s = 1/√(σ² + ε):
        // ∂L/∂z = s (∂L/∂n − mean_i ∂L/∂n − n mean_i(∂L/∂n n)).
        var dz = dm
        for i in 0..<n { for j in 0..<k { dz.storage[i * k + j] *= gamma[j] } }
        if statistics != nil {
            let meanD = Self.columnSums(dz).map { $0 / Float(n) }
            var meanDN = [Float](repeating: 0, count: k)
            for i in 0..<n { for j in 0..<k { meanDN[j] += dz.storage[i * k + j] * pass.normalised.storage[i * k + j] / Float(n) } }
            for i in 0..<n {
                for j in 0..<k {
                    let t = i * k + j
                    let centred = throughNormalisation ? dz.storage[t] - meanD[j] - pass.normalised.storage[t] * meanDN[j] : dz.storage[t]
                    dz.storage[t] = pass.inverseSD[j] * centred
                }
            }
        }
        var gw1 = Matrix(rows: k, cols: inputs)
        Kernels.gemm(dz, pass.x, into: &gw1, transA: true)
        return Gradients(w1: gw1, b1: Self.columnSums(dz), gamma: ggamma, beta: gbeta, w2: gw2, b2: gb2)
    }

    /// γ ← γ − η ∂L/∂γ, β ← β − η ∂L/∂β (the modulator step).
    public mutating func descendModulator(_ g: Gradients, eta: Float) {
        for j in gamma.indices { gamma[j] -= eta * g.gamma[j]; beta[j] -= eta * g.beta[j] }
    }

    /// Every parameter one SGD step down (the modulator too when `modulator`).
    public mutating func descend(_ g: Gradients, eta: Float, modulator: Bool) {
        Kernels.axpy(-eta, g.w1.storage, &layer.weights.storage)
        Kernels.axpy(-eta, g.b1, &b1)
        Kernels.axpy(-eta, g.w2.storage, &w2.storage)
        Kernels.axpy(-eta, g.b2, &b2)
        if modulator { descendModulator(g, eta: eta) }
    }

    /// One SoftHebb update per row of x, in row order (`SoftHebb`: y = softmax(u/τ),
    /// Δw_k = η y_k (x − u_k w_k), u = W1 x without the bias).
    public mutating func hebbianUpdate(_ x: Matrix, eta: Float, temperature: Float) {
        var rule = SoftHebb(RuleParameterValues(SoftHebb.parameters,
                                                given: [SoftHebb.eta.key: Double(eta), SoftHebb.temperature.key: Double(temperature)]))
        for i in 0..<x.rows { layer.learn(x.row(i), rule: &rule) }
    }

    /// Index of the largest output of each row of a pass.
    public static func predictions(_ pass: Pass) -> [Int] {
        let c = pass.p.cols
        return (0..<pass.p.rows).map { i in
            var best = 0
            for j in 1..<c where pass.p.storage[i * c + j] > pass.p.storage[i * c + best] { best = j }
            return best
        }
    }

    static func columnSums(_ m: Matrix) -> [Float] {
        var s = [Float](repeating: 0, count: m.cols)
        for i in 0..<m.rows { for j in 0..<m.cols { s[j] += m.storage[i * m.cols + j] } }
        return s
    }
}
