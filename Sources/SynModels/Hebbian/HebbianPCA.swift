import SynCore

/// A linear layer y = W x learning principal components with a local Hebbian rule, one sample
/// per step, on zero-mean data (procedural Gaussian with a known spectrum, or a mean-centred
/// data set such as the digits).
///
/// Metrics (all computed against eigenvectors e_i of the data covariance from `SymmetricEigen`):
/// - `alignment`: mean_i |cos(w_i, e_i)| over the k rows (ordered components; for k = 1 the
///   alignment of the single weight vector with the first principal component);
/// - `subspace_alignment`: ||E_k^T Q||_F^2 / k with Q an orthonormal basis of the rows of W
///   (1 when W spans the top-k principal subspace, in any rotation);
/// - `weight_norm`: mean row norm |w_i| (Oja-type rules converge to 1);
/// - `orthonormality_error`: max_ij |(W W^T - I)_ij|.
public struct HebbianPCA: Simulation {
    /// Where samples come from.
    public enum Source: Sendable {
        /// Fresh Gaussian samples with a known covariance each step.
        case gaussian(LowRankGaussian)
        /// A data set, mean-centred, visited in a fresh random order each epoch.
        case dataset(Dataset)
    }

    public struct Config: Sendable {
        public var outputs: Int
        /// Switchable rules; `start` indexes it.
        public var rules: [HebbianRule]
        public var start: Int
        /// Learning rate eta (dimensionless, per sample).
        public var eta: Float
        /// Initial weights ~ N(0, initScale^2 / inputs).
        public var initScale: Float
        public init(outputs: Int, rules: [HebbianRule], start: Int, eta: Float, initScale: Float = 1) {
            self.outputs = outputs
            self.rules = rules
            self.start = start
            self.eta = eta
            self.initScale = initScale
        }
    }

    public let config: Config
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let metricNames = ["alignment", "subspace_alignment", "weight_norm", "orthonormality_error"]
    public var ruleNames: [String] { config.rules.map(\.rawValue) }
    public private(set) var activeRule: Int
    public let viewNames = ["weights", "components", "spectrum"]

    public private(set) var weights: Matrix
    /// Eigenvalues (descending) and eigenvectors (column k) of the data covariance.
    public let eigenvalues: [Double]
    public let eigenvectors: Matrix
    private let source: Source
    private let imageShape: (rows: Int, cols: Int)?
    private var dataRNG: RNG
    private var order: [Int] = []
    private var x: [Float]
    private var y: [Float]
    private var scratch: [Float]
    /// The probed synapse (output 0, input with the largest variance) and its last change.
    private let probeInput: Int
    private var lastDelta: Float = 0

    public init(config: Config, source: Source, seed: UInt64) {
        let root = RNG(seed: seed)
        var initRNG = root.stream("weights")
        self.config = config
        self.source = source
        activeRule = config.start
        dataRNG = root.stream("data")
        let d: Int
        let cov: Matrix
        switch source {
        case .gaussian(let g):
            d = g.dimension
            cov = g.covariance
            imageShape = nil
        case .dataset(let ds):
            d = ds.features
            cov = Covariance.covariance(of: ds.x, center: false)
            imageShape = ds.imageShape
        }
        (eigenvalues, eigenvectors) = SymmetricEigen.decompose(cov)
        let sd = config.initScale / Float(d).squareRoot()
        weights = Matrix(rows: config.outputs, cols: d) { _, _ in initRNG.normal() * sd }
        x = [Float](repeating: 0, count: d)
        y = [Float](repeating: 0, count: config.outputs)
        scratch = [Float](repeating: 0, count: d)
        probeInput = (0..<d).max { cov[$0, $0] < cov[$1, $1] } ?? 0
    }

    public var rule: HebbianRule { config.rules[activeRule] }
    public var ruleEquation: String { rule.equation }
    public var bigStep: StepUnit {
        if case .dataset(let ds) = source { return StepUnit(name: "epoch", steps: ds.count) }
        return StepUnit(name: "1000 samples", steps: 1000)
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<steps {
            nextSample()
            let before = weights[0, probeInput]
            rule.update(&weights, x: x, y: &y, scratch: &scratch, eta: config.eta)
            lastDelta = weights[0, probeInput] - before
            step += 1
        }
    }

    private mutating func nextSample() {
        switch source {
        case .gaussian(let g):
            g.sample(into: &x, rng: &dataRNG)
        case .dataset(let ds):
            let i = step % ds.count
            if i == 0 {
                order = Array(0..<ds.count)
                dataRNG.shuffle(&order)
            }
            let base = order[i] * ds.features
            for j in 0..<ds.features { x[j] = ds.x.storage[base + j] }
        }
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index  // these rules keep no state of their own
    }

    public mutating func measure() -> [Double] {
        let k = weights.rows, d = weights.cols
        var alignment = 0.0
        var norms = 0.0
        for i in 0..<k {
            var dot = 0.0, nw = 0.0
            for j in 0..<d {
                let w = Double(weights[i, j])
                dot += w * Double(eigenvectors[j, min(i, d - 1)])
                nw += w * w
            }
            norms += nw.squareRoot()
            alignment += nw > 0 ? abs(dot) / nw.squareRoot() : 0
        }
        // Orthonormal basis of W's rows (modified Gram-Schmidt in Double).
        var basis: [[Double]] = []
        for i in 0..<k {
            var v = (0..<d).map { Double(weights[i, $0]) }
            for b in basis {
                let p = zip(v, b).reduce(0) { $0 + $1.0 * $1.1 }
                for j in 0..<d { v[j] -= p * b[j] }
            }
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if n > 1e-9 { basis.append(v.map { $0 / n }) }
        }
        var captured = 0.0
        for b in basis {
            for c in 0..<min(k, d) {
                var p = 0.0
                for j in 0..<d { p += b[j] * Double(eigenvectors[j, c]) }
                captured += p * p
            }
        }
        var ortho = 0.0
        for a in 0..<k {
            for b in 0..<k {
                var s = 0.0
                for j in 0..<d { s += Double(weights[a, j]) * Double(weights[b, j]) }
                ortho = max(ortho, abs(s - (a == b ? 1 : 0)))
            }
        }
        return [alignment / Double(k), captured / Double(min(k, d)), norms / Double(k), ortho]
    }

    public func views() -> [String: PanelView] {
        let k = weights.rows, d = weights.cols
        let tile = imageShape.map { TileShape(rows: $0.rows, cols: $0.cols) }
        var pcs = [Float](repeating: 0, count: k * d)
        for i in 0..<k { for j in 0..<d { pcs[i * d + j] = eigenvectors[j, min(i, d - 1)] } }
        let maxAbs = max(pcs.map(abs).max() ?? 1, 1e-6)
        let m = measureAlignmentReadouts()
        return [
            "weights": .heatmap(HeatmapView(rows: k, cols: d, values: weights.storage, tile: tile, scale: .symmetric(maxAbs))),
            "components": .heatmap(HeatmapView(rows: k, cols: d, values: pcs, tile: tile, scale: .symmetric(maxAbs))),
            "spectrum": .spectrum(SpectrumView(eigenvalues: eigenvalues, readouts: m)),
        ]
    }

    private func measureAlignmentReadouts() -> [Factor] {
        var out: [Factor] = []
        let total = eigenvalues.reduce(0, +)
        let k = min(weights.rows, eigenvalues.count)
        if total > 0 { out.append(Factor("top-\(k) var", eigenvalues.prefix(k).reduce(0, +) / total)) }
        out.append(Factor("λ1", eigenvalues.first ?? 0))
        return out
    }

    public func probe() -> [Factor] {
        let j = probeInput
        let w = Double(weights[0, j])
        let y0 = Double(y.first ?? 0)
        let xj = Double(x[j])
        var out = [Factor("pre x_\(j)", xj), Factor("post y_0", y0), Factor("w_0,\(j)", w)]
        if rule != .hebb, y0 != 0 {
            // Delta w = eta * y_0 * (x_j - r_j): recover the rule's reconstruction r_j.
            out.append(Factor("recon. r_\(j)", xj - Double(lastDelta) / (Double(config.eta) * y0)))
        }
        out.append(Factor("Δw (last)", Double(lastDelta)))
        return out
    }
}
