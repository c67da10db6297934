import SynCore

/// A `HebbianLayer` (y = W x, or the rule's nonlinear response) learning with a local rule,
/// one sample per step: principal components of zero-mean data (procedural Gaussian with a
/// known spectrum, or a mean-centred data set such as the digits), or the independent causes
/// of Földiák's bars images.
///
/// Metrics for the Gaussian and data-set sources (against eigenvectors e_i of the data
/// covariance from `SymmetricEigen`), `pcaMetricNames`:
/// - `alignment`: mean_i |cos(w_i, e_i)| over the k rows (ordered components; for k = 1 the
///   alignment of the single weight vector with the first principal component);
/// - `subspace_alignment`: ||E_k^T Q||_F^2 / k with Q an orthonormal basis of the rows of W
///   (1 when W spans the top-k principal subspace, in any rotation);
/// - `weight_norm`: mean row norm |w_i| (Oja-type rules converge to 1);
/// - `orthonormality_error`: max_ij |(W W^T - I)_ij|.
///
/// Metrics for the bars source, `barsMetricNames`:
/// - `bar_selectivity`: fraction of the 2 side bars that some unit represents. A unit
///   represents bar b when b has its largest mean weight m_1 > 0 and every other bar's mean
///   weight is below m_1 / 2 (a unit tuned to one bar has mean ~0.3 m_1 on crossing bars and
///   less on parallel ones; a unit mixing two bars fails);
/// - `output_correlation`: mean |corr(y_i, y_j)| over unit pairs (i != j, both with non-zero
///   variance) on a fixed set of `probeImages` images drawn at construction (0 = decorrelated);
/// - `weight_norm`: mean row norm |w_i|.
public struct HebbianSimulation: Simulation {
    /// Where samples come from.
    public enum Source: Sendable {
        /// Fresh Gaussian samples with a known covariance each step.
        case gaussian(LowRankGaussian)
        /// A data set, mean-centred, visited in a fresh random order each epoch.
        case dataset(Dataset)
        /// Fresh bars images (not centred: pixels are 0 or 1) each step.
        case bars(Bars)
    }

    /// The layer size, rules, learning rate and initial weights of a `HebbianSimulation`.
    public struct Config: Sendable {
        public var outputs: Int
        /// Switchable rules (each with its own parameters); `start` indexes it.
        public var rules: [any HebbianLearningRule]
        public var start: Int
        /// Initial weights ~ N(0, initScale^2 / inputs).
        public var initScale: Float
        public init(outputs: Int, rules: [any HebbianLearningRule], start: Int, initScale: Float = 1) {
            self.outputs = outputs
            self.rules = rules
            self.start = start
            self.initScale = initScale
        }
    }

    /// Metrics for the Gaussian and data-set sources (see the type's doc for definitions).
    public static let pcaMetrics = [
        MetricSpec("alignment", "mean |cos(w_i, e_i)|: row i against the i-th principal component"),
        MetricSpec("subspace_alignment", "fraction of the top-k principal subspace spanned by W's rows"),
        weightNorm,
        MetricSpec("orthonormality_error", "max |(W Wᵀ − I)_ij|: 0 for orthonormal rows"),
    ]
    /// Metrics for the bars source.
    public static let barsMetrics = [
        MetricSpec("bar_selectivity", "fraction of the bars some unit represents alone"),
        MetricSpec("output_correlation", "mean |corr(y_i, y_j)| over unit pairs on fixed probe images"),
        weightNorm,
    ]
    static let weightNorm = MetricSpec("weight_norm", "mean row norm |w_i| (Oja-type rules converge to 1)")
    public static var pcaMetricNames: [String] { pcaMetrics.map(\.name) }
    public static var barsMetricNames: [String] { barsMetrics.map(\.name) }
    public static let views = [
        ViewSpec("weights", "W as one tile per unit (receptive fields) or a matrix"),
        ViewSpec("components", "the data's principal components (or the bars) to compare W with"),
        ViewSpec("spectrum", "eigenvalues of the data covariance"),
        ViewSpec("lateral", "lateral weights M of the rule (Földiák), zero for other rules"),
    ]
    public static var viewNames: [String] { views.map(\.name) }
    /// Number of fixed images `output_correlation` is measured on.
    public static let probeImages = 500

    public let config: Config
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var ruleNames: [String] { config.rules.map(\.name) }
    /// The active rule, with its state (thresholds, lateral weights, running means).
    public private(set) var rule: any HebbianLearningRule
    public private(set) var activeRule: Int
    public var viewNames: [String] { Self.viewNames }
    /// The lateral weights M are Földiák rule state (learned per rule, reset by `selectRule`).
    public var ruleStateViewNames: [String] { ["lateral"] }

    /// The layer: weights W, drive and output of the last sample.
    public private(set) var layer: HebbianLayer
    public var weights: Matrix { layer.weights }
    /// Eigenvalues (descending) and eigenvectors (column k) of the data covariance.
    public let eigenvalues: [Double]
    public let eigenvectors: Matrix
    private let source: Source
    private let imageShape: (rows: Int, cols: Int)?
    private var dataRNG: RNG
    private var order: [Int] = []
    private var x: [Float]
    /// Fixed images for `output_correlation` (bars only; rows = images).
    private let probeSet: Matrix
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
            probeSet = Matrix(rows: 0, cols: d)
            metricNames = Self.pcaMetricNames
        case .dataset(let ds):
            d = ds.features
            cov = Covariance.covariance(of: ds.x, center: false)
            imageShape = ds.imageShape
            probeSet = Matrix(rows: 0, cols: d)
            metricNames = Self.pcaMetricNames
        case .bars(let b):
            d = b.pixels
            cov = b.covariance
            imageShape = (b.side, b.side)
            var probeRNG = root.stream("probe")
            var image = [Float](repeating: 0, count: d)
            var set = Matrix(rows: Self.probeImages, cols: d)
            for i in 0..<Self.probeImages {
                b.sample(into: &image, rng: &probeRNG)
                set.setRow(i, image)
            }
            probeSet = set
            metricNames = Self.barsMetricNames
        }
        (eigenvalues, eigenvectors) = SymmetricEigen.decompose(cov)
        layer = HebbianLayer(inputs: d, outputs: config.outputs, initScale: config.initScale, rng: &initRNG)
        rule = config.rules[config.start]
        rule.bind(inputs: d, outputs: config.outputs)
        x = [Float](repeating: 0, count: d)
        probeInput = (0..<d).max { cov[$0, $0] < cov[$1, $1] } ?? 0
    }

    public var ruleEquation: String { rule.equation }
    public var bigStep: StepUnit {
        if case .dataset(let ds) = source { return StepUnit(name: "epoch", steps: ds.count) }
        return StepUnit(name: "1000 samples", steps: 1000)
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<steps {
            nextSample()
            let before = layer.weights[0, probeInput]
            layer.learn(x, rule: &rule)
            lastDelta = layer.weights[0, probeInput] - before
            step += 1
        }
    }

    private mutating func nextSample() {
        switch source {
        case .gaussian(let g):
            g.sample(into: &x, rng: &dataRNG)
        case .bars(let b):
            b.sample(into: &x, rng: &dataRNG)
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

    /// Switches rule: W is kept; the new rule starts with fresh state (thresholds, lateral
    /// weights, running means at 0) and its own parameters.
    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        rule = config.rules[index]
        rule.bind(inputs: layer.inputs, outputs: layer.outputs)
    }

    public mutating func measure() -> [Double] {
        if case .bars(let b) = source { return [barSelectivity(b), outputCorrelation(), meanRowNorm()] }
        let w = layer.weights
        let k = w.rows, d = w.cols
        var alignment = 0.0
        for i in 0..<k {
            var dot = 0.0, nw = 0.0
            for j in 0..<d {
                let v = Double(w[i, j])
                dot += v * Double(eigenvectors[j, min(i, d - 1)])
                nw += v * v
            }
            alignment += nw > 0 ? abs(dot) / nw.squareRoot() : 0
        }
        // Orthonormal basis of W's rows (modified Gram-Schmidt in Double).
        var basis: [[Double]] = []
        for i in 0..<k {
            var v = (0..<d).map { Double(w[i, $0]) }
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
                for j in 0..<d { s += Double(w[a, j]) * Double(w[b, j]) }
                ortho = max(ortho, abs(s - (a == b ? 1 : 0)))
            }
        }
        return [alignment / Double(k), captured / Double(min(k, d)), meanRowNorm(), ortho]
    }

    private func meanRowNorm() -> Double {
        let w = layer.weights
        var total = 0.0
        for i in 0..<w.rows {
            var s = 0.0
            for j in 0..<w.cols { s += Double(w[i, j]) * Double(w[i, j]) }
            total += s.squareRoot()
        }
        return total / Double(w.rows)
    }

    /// Mean weight of unit `i` over the pixels of bar `b`.
    private func barMean(_ bars: Bars, unit i: Int, bar b: Int) -> Double {
        var s = 0.0
        for k in 0..<bars.side { s += Double(layer.weights[i, bars.pixel(bar: b, at: k)]) }
        return s / Double(bars.side)
    }

    /// Fraction of bars represented by at least one unit (see the type's doc).
    public func barSelectivity(_ bars: Bars) -> Double {
        var represented = [Bool](repeating: false, count: bars.count)
        for i in 0..<layer.outputs {
            var best = -Double.infinity, second = -Double.infinity, arg = 0
            for b in 0..<bars.count {
                let m = barMean(bars, unit: i, bar: b)
                if m > best { second = best; best = m; arg = b } else if m > second { second = m }
            }
            if best > 0, second < best / 2 { represented[arg] = true }
        }
        return Double(represented.filter { $0 }.count) / Double(bars.count)
    }

    /// Mean |corr(y_i, y_j)| of the active rule's outputs over the fixed probe images.
    public func outputCorrelation() -> Double {
        let k = layer.outputs, n = probeSet.rows
        guard k > 1, n > 1 else { return 0 }
        var probe = layer
        var mean = [Double](repeating: 0, count: k)
        var second = [Double](repeating: 0, count: k * k)
        for r in 0..<n {
            probe.respond(probeSet.row(r), rule: rule)
            let y = probe.output
            for i in 0..<k {
                mean[i] += Double(y[i])
                for j in i..<k { second[i * k + j] += Double(y[i]) * Double(y[j]) }
            }
        }
        let nn = Double(n)
        func cov(_ i: Int, _ j: Int) -> Double { second[i * k + j] / nn - mean[i] / nn * mean[j] / nn }
        var total = 0.0, pairs = 0
        for i in 0..<k {
            let vi = cov(i, i)
            guard vi > 1e-12 else { continue }
            for j in (i + 1)..<k {
                let vj = cov(j, j)
                guard vj > 1e-12 else { continue }
                total += abs(cov(i, j)) / (vi * vj).squareRoot()
                pairs += 1
            }
        }
        return pairs > 0 ? total / Double(pairs) : 0
    }

    public func views() -> [String: PanelView] {
        let w = layer.weights
        let k = w.rows, d = w.cols
        let tile = imageShape.map { TileShape(rows: $0.rows, cols: $0.cols) }
        // Colour scales stay fixed while the weights learn: the principal components' range
        // (unit vectors) for PCA tasks, [-1, 1] for bars (pixels are 0 or 1, so Földiák and
        // SoftHebb weights stay within it); M's range rounded up to a power of two.
        let components: HeatmapView
        let wScale: Float
        if case .bars(let b) = source {
            wScale = 1
            // The generative causes: each bar as an image.
            var v = [Float](repeating: 0, count: b.count * d)
            for bar in 0..<b.count { for p in 0..<b.side { v[bar * d + b.pixel(bar: bar, at: p)] = 1 } }
            components = HeatmapView(rows: b.count, cols: d, values: v, tile: tile, scale: .fixed(0, 1))
        } else {
            var pcs = [Float](repeating: 0, count: k * d)
            for i in 0..<k { for j in 0..<d { pcs[i * d + j] = eigenvectors[j, min(i, d - 1)] } }
            let maxAbs = max(pcs.map(abs).max() ?? 1, 1e-6)
            components = HeatmapView(rows: k, cols: d, values: pcs, tile: tile, scale: .symmetric(maxAbs))
            wScale = maxAbs
        }
        let lateral = rule.lateral ?? Matrix(rows: k, cols: k)
        let mMax = lateral.storage.reduce(Float(0)) { max($0, abs($1)) }
        var mScale: Float = 1
        while mScale < mMax, mScale < 1e30 { mScale *= 2 }
        return [
            "weights": .heatmap(HeatmapView(rows: k, cols: d, values: w.storage, tile: tile, scale: .symmetric(wScale))),
            "components": .heatmap(components),
            "spectrum": .spectrum(SpectrumView(eigenvalues: eigenvalues, readouts: spectrumReadouts())),
            "lateral": .heatmap(HeatmapView(rows: k, cols: k, values: lateral.storage, scale: .symmetric(mScale))),
        ]
    }

    private func spectrumReadouts() -> [Factor] {
        var out: [Factor] = []
        let total = eigenvalues.reduce(0, +)
        let k = min(layer.outputs, eigenvalues.count)
        if total > 0 { out.append(Factor("top-\(k) var", eigenvalues.prefix(k).reduce(0, +) / total)) }
        out.append(Factor("λ1", eigenvalues.first ?? 0))
        return out
    }

    public func probe() -> [Factor] {
        let j = probeInput
        let w = Double(layer.weights[0, j])
        let y0 = Double(layer.output.first ?? 0)
        let xj = Double(x[j])
        var out = [Factor("pre x_\(j)", xj), Factor("post y_0", y0), Factor("w_0,\(j)", w)]
        out += rule.probe(layer, input: j, x: x, delta: lastDelta)
        out.append(Factor("Δw (last)", Double(lastDelta)))
        return out
    }
}
