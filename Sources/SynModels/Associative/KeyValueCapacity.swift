import SynCore

/// Capacity sweep of a hetero-associative key-value memory (scenes `pavlovian-memory`,
/// `bdh-memory`): Qiao 2025 (arXiv 2508.08289) reads linear attention as a Hebbian store
/// M = Σ v kᵀ whose recall fidelity falls with the load N/d_k as 1/√(1 + (N − 1)/d_k);
/// Kosowski et al. 2025 (BDH, arXiv 2509.26507) store under sparse positive codes instead.
///
/// One step is one trial at one cell of the grid arms x loads (arm-major, so each arm's curve is
/// drawn in turn): N = round(load · d_k) random unit keys and values are stored by EVERY rule of
/// the scene (the same draw, a paired comparison) and recalled; the per-cell means accumulate
/// from the start (or from the last key-kind change). The big step is one pass over the grid.
public struct KeyValueCapacity: Simulation {
    /// One curve: a key dimension with dense keys, or with a sparse code over `neurons` units.
    public struct Arm: Sendable, Equatable {
        public var keyDim: Int
        /// Sparse-code neurons N; nil for dense keys φ(k) = k.
        public var neurons: Int?
        public init(keyDim: Int, neurons: Int? = nil) {
            self.keyDim = keyDim
            self.neurons = neurons
        }
        /// `d32` (dense) or `d32_n512` (sparse): the suffix of its metric names.
        public var label: String { neurons.map { "d\(keyDim)_n\($0)" } ?? "d\(keyDim)" }
    }

    public struct Config: Sendable {
        public var arms: [Arm]
        public var valueDim: Int
        /// Loads N/d_k of the grid, ascending.
        public var loads: [Double]
        /// Target active fraction of the sparse codes.
        public var activeFraction: Double
        public var orthogonalKeys: Bool
        /// Index into `loads` of the load the scalar metrics report.
        public var probeLoad: Int
        public var rules: [any KVMemoryLearningRule]
        public var start: Int
        public init(arms: [Arm], valueDim: Int, loads: [Double], activeFraction: Double = 0.05, orthogonalKeys: Bool = false,
                    probeLoad: Int = 0, rules: [any KVMemoryLearningRule] = [HebbianKV()], start: Int = 0) {
            self.arms = arms; self.valueDim = valueDim; self.loads = loads; self.activeFraction = activeFraction
            self.orthogonalKeys = orthogonalKeys; self.probeLoad = probeLoad; self.rules = rules; self.start = start
        }

        /// Items stored at load index `l` for arm `a`.
        public func items(arm a: Int, load l: Int) -> Int { max(1, Int((loads[l] * Double(arms[a].keyDim)).rounded())) }

        /// Scalar metrics: the active rule at the probe load for the last arm, then the
        /// fidelity of every arm (active rule) and of every rule (last arm).
        public static func metricNames(arms: [Arm], rules: [String]) -> [String] {
            ["fidelity", "recall_acc", "all_correct", "theory_fidelity", "active_fraction"]
                + arms.map { "fidelity_\($0.label)" } + rules.map { "fidelity_\($0)" }
        }
    }

    public static let baseMetrics: [MetricSpec] = [
        MetricSpec("fidelity", "mean cos(M k_j, v_j) at the probe load (active rule, last arm)", mayBeUndefined: true),
        MetricSpec("recall_acc", "fraction of items decoded as their own value (nearest stored value by cosine)", mayBeUndefined: true),
        MetricSpec("all_correct", "fraction of trials with every item decoded correctly (worst case)", mayBeUndefined: true),
        MetricSpec("theory_fidelity", "crosstalk theory 1/sqrt(1 + (N-1)/d_k) for random dense keys, last arm", mayBeUndefined: true),
        MetricSpec("active_fraction", "fraction of sparse-code neurons active per key (last arm; undefined for dense keys)", mayBeUndefined: true),
    ]

    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("fidelity_curves", "mean fidelity vs load N/d_k, one line per arm (active rule), theory overlaid"),
        ViewSpec("accuracy_curves", "recall accuracy vs load per arm, and the all-correct fraction of the last arm"),
        ViewSpec("rule_curves", "fidelity and accuracy vs load of every rule (last arm): Hebb vs Rescorla-Wagner"),
        ViewSpec("memory", "M of the last trial (active rule, last arm): up to 64 key features (strongest) x d_v"),
        ViewSpec("crosstalk", "overlaps phi_i . phi_0 / |phi_0|^2 of the other keys with the probed key (last trial)"),
    ]

    public let config: Config
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public private(set) var activeRule: Int
    public var bigStep: StepUnit { StepUnit(name: "grid pass", steps: cells) }
    public var ruleEquation: String { config.rules[activeRule].equation + ";  recall r = M k, decode nearest v" }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var ruleStateViewNames: [String] { ["memory"] }

    private let features: [KeyFeatures]
    private var dataRNG: RNG
    private var orderRNG: RNG
    private var orthogonal: Bool
    private var probeLoad: Int
    /// Sums per (rule, arm, load): fidelity, defined-fidelity count, accuracy, all-correct, trials.
    private var fidSum: [Double], fidCount: [Double], accSum: [Double], allSum: [Double], trials: [Double]
    private var activeSum: [Double], activeCount: [Double]
    private var lastMemories: [Matrix]
    private var lastFeatures: Matrix
    private var lastArm = 0

    private var cells: Int { config.arms.count * config.loads.count }

    public init(config: Config, seed: UInt64) {
        precondition(!config.arms.isEmpty && !config.loads.isEmpty && !config.rules.isEmpty && config.valueDim > 0)
        self.config = config
        let root = RNG(seed: seed)
        var frng = root.stream("encoders")
        features = config.arms.map { arm in
            arm.neurons.map { KeyFeatures(sparse: arm.keyDim, neurons: $0, activeFraction: config.activeFraction, rng: &frng) }
                ?? KeyFeatures(dense: arm.keyDim)
        }
        dataRNG = root.stream("data")
        orderRNG = root.stream("order")
        orthogonal = config.orthogonalKeys
        probeLoad = min(max(0, config.probeLoad), config.loads.count - 1)
        activeRule = config.start
        metricNames = Config.metricNames(arms: config.arms, rules: config.rules.map(\.name))
        let size = config.rules.count * config.arms.count * config.loads.count
        fidSum = .init(repeating: 0, count: size); fidCount = fidSum; accSum = fidSum; allSum = fidSum; trials = fidSum
        activeSum = .init(repeating: 0, count: config.arms.count * config.loads.count); activeCount = activeSum
        lastMemories = config.rules.map { _ in Matrix(rows: config.valueDim, cols: 1) }
        lastFeatures = Matrix(rows: 1, cols: 1)
    }

    private func index(_ rule: Int, _ arm: Int, _ load: Int) -> Int { (rule * config.arms.count + arm) * config.loads.count + load }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) { trial(cell: step % cells); step += 1 }
    }

    /// One trial at a grid cell: draw keys and values, store with every rule, recall.
    private mutating func trial(cell: Int) {
        let a = cell / config.loads.count, l = cell % config.loads.count
        let n = config.items(arm: a, load: l), dk = config.arms[a].keyDim
        let keys = orthogonal ? KeyFeatures.orthonormalRows(n, dk, rng: &dataRNG) : KeyFeatures.randomUnitRows(n, dk, rng: &dataRNG)
        let values = KeyFeatures.randomUnitRows(n, config.valueDim, rng: &dataRNG)
        let phi = features[a](keys)
        if features[a].encoder != nil {
            let active = phi.storage.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
            activeSum[a * config.loads.count + l] += Double(active) / Double(phi.storage.count)
            activeCount[a * config.loads.count + l] += 1
        }
        for (r, rule) in config.rules.enumerated() {
            var m = Matrix(rows: config.valueDim, cols: phi.cols)
            rule.store(keys: phi, values: values, into: &m, rng: &orderRNG)
            let q = KeyValueRecall(memory: m, features: phi, values: values)
            let i = index(r, a, l)
            if q.fidelity.isFinite { fidSum[i] += q.fidelity; fidCount[i] += 1 }
            accSum[i] += q.accuracy
            allSum[i] += q.allCorrect
            trials[i] += 1
            lastMemories[r] = m
        }
        lastFeatures = phi
        lastArm = a
    }

    private func mean(_ sums: [Double], _ counts: [Double], _ i: Int) -> Double { counts[i] > 0 ? sums[i] / counts[i] : .nan }
    private func fidelity(_ r: Int, _ a: Int, _ l: Int) -> Double { mean(fidSum, fidCount, index(r, a, l)) }
    private func accuracy(_ r: Int, _ a: Int, _ l: Int) -> Double { mean(accSum, trials, index(r, a, l)) }
    private func allCorrect(_ r: Int, _ a: Int, _ l: Int) -> Double { mean(allSum, trials, index(r, a, l)) }

    public mutating func measure() -> [Double] {
        let last = config.arms.count - 1, l = probeLoad, r = activeRule
        let arm = config.arms[last]
        let theory = KeyValueRecall.theoryFidelity(items: config.items(arm: last, load: l), keyDim: arm.keyDim)
        var row = [fidelity(r, last, l), accuracy(r, last, l), allCorrect(r, last, l), theory,
                   mean(activeSum, activeCount, last * config.loads.count + l)]
        row += config.arms.indices.map { fidelity(r, $0, l) }
        row += config.rules.indices.map { fidelity($0, last, l) }
        return row
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
    }

    public var controls: [Control] {
        [Control(name: "load", value: Double(probeLoad), range: 0...Double(config.loads.count - 1), step: 1,
                 labels: config.loads.map { NumberFormat.shortest($0) }),
         Control(name: "keys", value: orthogonal ? 1 : 0, range: 0...1, step: 1, labels: ["random", "orthogonal"])]
    }

    /// `load` moves the probe of the scalar metrics; `keys` switches random <-> orthogonal keys and
    /// restarts the curves (means over different key kinds would mix).
    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        let v = Int(value.rounded())
        switch name {
        case "load": probeLoad = v
        default:
            guard (v == 1) != orthogonal else { return nil }
            orthogonal = v == 1
            for i in fidSum.indices { fidSum[i] = 0; fidCount[i] = 0; accSum[i] = 0; allSum[i] = 0; trials[i] = 0 }
        }
        return nil
    }

    public func views() -> [String: PanelView] {
        let xs = config.loads.map { Float($0) }
        let last = config.arms.count - 1, r = activeRule
        let lastDim = config.arms[last].keyDim
        var names = ["theory d\(lastDim)"], series = [config.loads.indices.map {
            Float(KeyValueRecall.theoryFidelity(items: config.items(arm: last, load: $0), keyDim: lastDim)) }]
        for (a, arm) in config.arms.enumerated() {
            names.append(arm.label)
            series.append(config.loads.indices.map { Float(fidelity(r, a, $0)) })
        }
        var accNames: [String] = [], acc: [[Float]] = []
        for (a, arm) in config.arms.enumerated() {
            accNames.append(arm.label)
            acc.append(config.loads.indices.map { Float(accuracy(r, a, $0)) })
        }
        accNames.append("all ok \(config.arms[last].label)")
        acc.append(config.loads.indices.map { Float(allCorrect(r, last, $0)) })
        var ruleNames: [String] = [], ruleSeries: [[Float]] = []
        for (k, rule) in config.rules.enumerated() {
            ruleNames += ["\(rule.name) fid", "\(rule.name) acc"]
            ruleSeries.append(config.loads.indices.map { Float(fidelity(k, last, $0)) })
            ruleSeries.append(config.loads.indices.map { Float(accuracy(k, last, $0)) })
        }
        let xLabel = "load N/d_k"
        return [
            "fidelity_curves": .traces(TracesView(names: names, series: series, unit: "cos", xs: series.map { _ in xs }, xLabel: xLabel)),
            "accuracy_curves": .traces(TracesView(names: accNames, series: acc, unit: "", xs: acc.map { _ in xs }, xLabel: xLabel)),
            "rule_curves": .traces(TracesView(names: ruleNames, series: ruleSeries, unit: "", xs: ruleSeries.map { _ in xs }, xLabel: xLabel)),
            "memory": .heatmap(memoryView()),
            "crosstalk": .histogram(crosstalk()),
        ]
    }

    /// M of the last trial, transposed to features x d_v, its (at most) 64 strongest features.
    private func memoryView() -> HeatmapView {
        let m = lastMemories[activeRule]
        let f = m.cols, dv = m.rows
        let norms = (0..<f).map { c in (0..<dv).reduce(Float(0)) { $0 + m[$1, c] * m[$1, c] } }
        let keep = Array(norms.indices.sorted { norms[$0] > norms[$1] || (norms[$0] == norms[$1] && $0 < $1) }.prefix(64)).sorted()
        var values = [Float]()
        values.reserveCapacity(keep.count * dv)
        for c in keep { for v in 0..<dv { values.append(m[v, c]) } }
        let peak = values.reduce(Float(0)) { max($0, abs($1)) }
        return HeatmapView(rows: keep.count, cols: dv, values: values, scale: .symmetric(max(peak, 1e-6)))
    }

    /// Overlaps φ_i·φ_0/‖φ_0‖² (i ≠ 0) of the last trial: the weights of the crosstalk terms when
    /// recalling item 0 (empty when φ_0 = 0).
    private func overlaps() -> [Float] {
        let phi = lastFeatures
        var out: [Float] = []
        phi.withRow(0) { p0 in
            let n0 = p0.reduce(Float(0)) { $0 + $1 * $1 }
            guard n0 > 0 else { return }
            for i in 1..<max(1, phi.rows) {
                phi.withRow(i) { pi in out.append(zip(pi, p0).reduce(Float(0)) { $0 + $1.0 * $1.1 } / n0) }
            }
        }
        return out
    }

    private func crosstalk() -> HistogramView {
        HistogramView(binning: overlaps(), lower: -1, upper: 1, bins: 20, label: "phi_i . phi_0 / |phi_0|^2")
    }

    public func probe() -> [Factor] {
        let n = lastFeatures.rows, dk = config.arms[lastArm].keyDim
        let variance = overlaps().reduce(0.0) { $0 + Double($1) * Double($1) }
        return [Factor("items N", Double(n)), Factor("key dim d_k", Double(dk)),
                Factor("crosstalk sum_i o_i^2", variance),
                Factor("theory (N-1)/d_k", Double(n - 1) / Double(dk))]
    }
}
