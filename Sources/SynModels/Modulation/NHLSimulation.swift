import SynCore

/// Neuro-modulated Hebbian test-time adaptation (scene `nhl-tta`, science page 2; Tang et al.,
/// CVPR 2023, reconstructed). A 64-64(ReLU)-10 `NHLNetwork` is trained by minibatch SGD on the
/// first `sourceDigits` clean digits, in build A (plain) or B (per-unit normalisation with
/// running statistics before γ, β); the held-out digits then arrive as an unlabeled stream under
/// the covariate shift x' = clip(a x + b + N(0, s²), 0, 1), in batches. Every test-time rule is
/// an arm adapting its own copy of the source network to the same batches (first adapt, then
/// predict); the metrics are each arm's running accuracy over the stream so far. One step = one
/// batch; the big step is one pass over the held-out digits (each pass a new order and new
/// noise). Switching the build or the stream (shifted / clean control) restarts the stream from
/// the source network.
public struct NHLSimulation: Simulation {
    /// Build A (no normalisation) or B (normalisation with running statistics).
    public enum Build: Int, Sendable, CaseIterable {
        case plain = 0, normalised = 1
        public var label: String { self == .plain ? "A plain" : "B norm" }
    }

    public struct Config: Sendable {
        public var sourceDigits: Int
        public var hidden: Int
        public var sourceEpochs: Int
        public var sourceEta: Float
        public var batch: Int
        public var shiftA: Float
        public var shiftB: Float
        public var shiftSD: Float
        public var build: Build
        public var rates: TestTimeRates
        public var rules: [any TestTimeAdaptationRule]
        public var start: Int
        public init(sourceDigits: Int = 933, hidden: Int = 64, sourceEpochs: Int = 20, sourceEta: Float = 0.1, batch: Int = 32,
                    shiftA: Float = 0.6, shiftB: Float = 0.2, shiftSD: Float = 0.3, build: Build = .normalised,
                    rates: TestTimeRates = TestTimeRates(), rules: [any TestTimeAdaptationRule], start: Int = 0) {
            self.sourceDigits = sourceDigits; self.hidden = hidden; self.sourceEpochs = sourceEpochs; self.sourceEta = sourceEta
            self.batch = batch; self.shiftA = shiftA; self.shiftB = shiftB; self.shiftSD = shiftSD; self.build = build
            self.rates = rates; self.rules = rules; self.start = start
        }
    }

    /// Metrics of a configuration whose arms are `rules`.
    public static func metricSpecs(rules: [String]) -> [MetricSpec] {
        rules.map {
            MetricSpec("acc_\($0)", "running accuracy of the \($0) arm over the stream so far (each batch adapted to, then predicted); NaN before the first batch, and for an arm that only re-estimates statistics in build A",
                       mayBeUndefined: true)
        }
        + rules.map {
            MetricSpec("entropy_\($0)", unit: "nats", "mean prediction entropy of the \($0) arm on the last batch; NaN before the first batch",
                       mayBeUndefined: true)
        }
        + [MetricSpec("clean_acc", "accuracy of the source network on the clean held-out digits (the level before the shift)"),
           MetricSpec("w1_drift", "relative change of the first layer of the active arm, |W1 - W1_source| / |W1_source| (Frobenius)"),
           MetricSpec("modulator_drift", "root-mean-square of (gamma - gamma_source, beta - beta_source) of the active arm")]
    }
    public static let metricCatalog = metricSpecs(rules: TestTimeRules.registry.rules.map(\.name))
    public static let viewSpecs = [
        ViewSpec("preview", "the first digit of the current batch: clean (first tile) and as streamed (second tile)"),
        ViewSpec("tiles", "first-layer weights W1 of the active arm, one 8x8 tile per hidden unit"),
        ViewSpec("drift", "W1 - W1_source of the active arm (what the Hebbian layer changed), one tile per unit"),
        ViewSpec("modulators", "gamma - 1 (top row) and beta (bottom row) per hidden unit, active arm"),
    ]

    public let config: Config
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var ruleStateViewNames: [String] { ["tiles", "drift", "modulators"] }
    public var bigStep: StepUnit { StepUnit(name: "pass", steps: batchesPerPass) }
    public private(set) var events: [SimulationEvent] = []
    public var ruleEquation: String {
        "build \(build.label), stream \(shifted ? "shifted" : "clean"):  " + config.rules[activeRule].equation(rates)
    }

    private let root: RNG
    private let sourceData: Dataset
    private let pool: Dataset
    private var sources: [NHLNetwork?] = [nil, nil]
    private var cleanAccuracy: [Double] = [.nan, .nan]
    private var build: Build
    private var shifted = true
    private var rates: TestTimeRates
    private var arms: [NHLNetwork] = []
    private var hits: [Int]
    private var seen = 0
    private var entropies: [Float]
    private var streamStart = 0
    private var passCache: (index: Int, clean: Matrix, shifted: Matrix, labels: [Int])?
    private var previewDigit: [Float]

    public var batchesPerPass: Int { (pool.count + config.batch - 1) / config.batch }

    public init(config: Config, seed: UInt64, digits: Dataset) {
        precondition(config.rules.indices.contains(config.start) && config.batch >= 1
                     && config.sourceDigits >= 1 && config.sourceDigits < digits.count)
        self.config = config
        activeRule = config.start
        build = config.build
        rates = config.rates
        metricNames = Self.metricSpecs(rules: config.rules.map(\.name)).map(\.name)
        root = RNG(seed: seed)
        sourceData = digits.slice(0..<config.sourceDigits)
        pool = digits.slice(config.sourceDigits..<digits.count)
        hits = [Int](repeating: 0, count: config.rules.count)
        entropies = [Float](repeating: .nan, count: config.rules.count)
        previewDigit = [Float](repeating: 0, count: 2 * digits.features)
        restartStream(label: nil)
    }

    // MARK: Source network

    /// Trains the source network of `build` on the clean source digits (minibatch SGD on the
    /// cross-entropy; build B normalises with batch statistics and trains γ, β, then stores the
    /// population statistics of the training set as its running statistics).
    static func trainSource(_ build: Build, config: Config, data: Dataset, rng root: RNG) -> NHLNetwork {
        var rng = root.stream("source-\(build.label)")
        var net = NHLNetwork(inputs: data.features, hidden: config.hidden, classes: data.classes,
                             normalisation: build == .normalised, rng: &rng)
        var order = Array(0..<data.count)
        let f = data.features
        for _ in 0..<config.sourceEpochs {
            rng.shuffle(&order)
            for start in stride(from: 0, to: order.count, by: config.batch) {
                let rows = order[start..<min(order.count, start + config.batch)]
                var x = [Float](), y = [Int]()
                x.reserveCapacity(rows.count * f)
                for r in rows { x += data.sample(r); y.append(data.labels[r]) }
                let pass = net.forward(Matrix(rows: rows.count, cols: f, storage: x), statistics: .batch)
                let g = net.backward(pass, outputError: NHLNetwork.crossEntropy(pass, labels: y).outputError)
                net.descend(g, eta: config.sourceEta, modulator: build == .normalised)
            }
        }
        if var stats = net.statistics {
            stats.update(with: net.preActivation(data.x))
            net.statistics = stats
        }
        return net
    }

    private static func accuracy(_ net: NHLNetwork, _ data: Dataset) -> Double {
        let pred = NHLNetwork.predictions(net.forward(data.x))
        return Double(zip(pred, data.labels).filter { $0 == $1 }.count) / Double(max(1, data.count))
    }

    /// The source network of the current build (trained on first use).
    private mutating func source() -> NHLNetwork {
        if let net = sources[build.rawValue] { return net }
        let net = Self.trainSource(build, config: config, data: sourceData, rng: root)
        sources[build.rawValue] = net
        cleanAccuracy[build.rawValue] = Self.accuracy(net, pool)
        return net
    }

    // MARK: Stream

    /// Every arm back to the source network, counters to zero, the stream from its first batch.
    private mutating func restartStream(label: String?) {
        var net = source()
        net.statistics?.restart()
        arms = config.rules.map { _ in net }
        for k in hits.indices { hits[k] = 0; entropies[k] = .nan }
        seen = 0
        streamStart = step
        if let label { events.append(SimulationEvent(step: step, label: label)) }
    }

    /// Pass `index` over the held-out digits: a permutation and the noise of the shift, drawn from
    /// that pass's own stream (so a restarted stream replays the same batches).
    private mutating func pass(_ index: Int) -> (clean: Matrix, shifted: Matrix, labels: [Int]) {
        if let c = passCache, c.index == index { return (c.clean, c.shifted, c.labels) }
        var rng = root.stream("stream").stream(index)
        var order = Array(0..<pool.count)
        rng.shuffle(&order)
        var clean = [Float]()
        clean.reserveCapacity(pool.x.storage.count)
        for r in order { clean += pool.sample(r) }
        var noisy = clean
        DigitTransforms.covariateShift(&noisy, a: config.shiftA, b: config.shiftB, s: config.shiftSD, rng: &rng)
        let f = pool.features
        let entry = (index: index, clean: Matrix(rows: pool.count, cols: f, storage: clean),
                     shifted: Matrix(rows: pool.count, cols: f, storage: noisy), labels: order.map { pool.labels[$0] })
        passCache = entry
        return (entry.clean, entry.shifted, entry.labels)
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            let position = step - streamStart
            let (p, b) = position.quotientAndRemainder(dividingBy: batchesPerPass)
            if b == 0 && p > 0 { events.append(SimulationEvent(step: step, label: "pass \(p + 1)")) }
            let data = pass(p)
            let f = pool.features
            let lo = b * config.batch, hi = min(pool.count, lo + config.batch)
            let source = shifted ? data.shifted : data.clean
            let x = Matrix(rows: hi - lo, cols: f, storage: Array(source.storage[(lo * f)..<(hi * f)]))
            let labels = Array(data.labels[lo..<hi])
            previewDigit = Array(data.clean.storage[(lo * f)..<((lo + 1) * f)]) + Array(x.storage[0..<f])
            for k in arms.indices {
                config.rules[k].adapt(&arms[k], to: x, rates: rates)
                let out = arms[k].forward(x)
                hits[k] += zip(NHLNetwork.predictions(out), labels).filter { $0 == $1 }.count
                entropies[k] = NHLNetwork.entropy(out).entropy
            }
            seen += x.rows
            step += 1
        }
    }

    /// Whether arm k is undefined in the current build (statistics only, without normalisation).
    private func undefined(_ k: Int) -> Bool {
        let r = config.rules[k]
        return build == .plain && r.reestimatesStatistics && !r.hebbianLayer && !r.entropyModulator
    }

    public mutating func measure() -> [Double] {
        let acc = arms.indices.map { undefined($0) || seen == 0 ? Double.nan : Double(hits[$0]) / Double(seen) }
        let ent = arms.indices.map { undefined($0) ? Double.nan : Double(entropies[$0]) }
        let src = source(), arm = arms[activeRule]
        var dw: Double = 0, w: Double = 0
        for (a, s) in zip(arm.layer.weights.storage, src.layer.weights.storage) {
            dw += Double(a - s) * Double(a - s); w += Double(s) * Double(s)
        }
        var dm: Double = 0
        for j in arm.gamma.indices {
            dm += Double(arm.gamma[j] - src.gamma[j]) * Double(arm.gamma[j] - src.gamma[j])
            dm += Double(arm.beta[j] - src.beta[j]) * Double(arm.beta[j] - src.beta[j])
        }
        return acc + ent + [cleanAccuracy[build.rawValue], (dw / max(w, 1e-30)).squareRoot(),
                            (dm / Double(max(1, 2 * arm.gamma.count))).squareRoot()]
    }

    // MARK: Controls

    public var controls: [Control] {
        [Control(name: "eta_m", value: Double(rates.modulator), range: 0...25, step: 0.25),
         Control(name: "eta_hebb", value: Double(rates.hebbian), range: 0...0.02, step: 0.001),
         Control(name: "temperature", value: Double(rates.temperature), range: 0.05...5, step: 0.05),
         Control(name: "stream", value: shifted ? 0 : 1, range: 0...1, step: 1, labels: ["shifted", "clean (control)"]),
         Control(name: "build", value: Double(build.rawValue), range: 0...1, step: 1, labels: Build.allCases.map(\.label))]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "eta_m": rates.modulator = Float(value)
        case "eta_hebb": rates.hebbian = Float(value)
        case "temperature": rates.temperature = Float(value)
        case "stream":
            let now = value.rounded() == 0
            if now != shifted { shifted = now; restartStream(label: now ? "shifted stream" : "clean stream") }
        default:
            let now: Build = value.rounded() == 0 ? .plain : .normalised
            if now != build { build = now; restartStream(label: "build \(now.label)") }
        }
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
    }

    // MARK: Views

    public func views() -> [String: PanelView] {
        let arm = arms[activeRule]
        let w = arm.layer.weights
        let src = sources[build.rawValue] ?? arm
        let drift = zip(w.storage, src.layer.weights.storage).map { $0 - $1 }
        let tile = TileShape(rows: 8, cols: 8)
        let tiles = pool.imageShape.map { _ in tile }
        let mod = arm.gamma.map { $0 - 1 } + arm.beta
        return [
            "preview": .heatmap(HeatmapView(rows: 2, cols: pool.features, values: previewDigit, tile: tiles, scale: .fixed(0, 1))),
            "tiles": .heatmap(HeatmapView(rows: w.rows, cols: w.cols, values: w.storage, tile: tiles,
                                          scale: .symmetric(max(w.storage.map(abs).max() ?? 0, 1e-3)))),
            "drift": .heatmap(HeatmapView(rows: w.rows, cols: w.cols, values: drift, tile: tiles,
                                          scale: .symmetric(max(drift.map(abs).max() ?? 0, 1e-4)))),
            "modulators": .heatmap(HeatmapView(rows: 2, cols: arm.hidden, values: mod,
                                               scale: .symmetric(max(mod.map(abs).max() ?? 0, 1e-3)))),
        ]
    }

    public func probe() -> [Factor] {
        let arm = arms[activeRule]
        return [Factor("gamma_0", Double(arm.gamma[0])), Factor("beta_0", Double(arm.beta[0])),
                Factor("H (nats)", Double(entropies[activeRule])), Factor("eta_m", Double(rates.modulator)),
                Factor("batch of stream", Double(step - streamStart))]
    }
}
