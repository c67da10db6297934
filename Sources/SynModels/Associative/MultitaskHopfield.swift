import Foundation
import SynCore

/// Parallel retrieval of diluted patterns (scene `multitask-hopfield`; Agliari, Alessandrelli,
/// Barra & Ricci-Tersenghi, arXiv 2308.04106): a Hopfield network of N Ising spins stores K
/// archetypes ξ^μ ∈ {−1, 0, +1}^N with P(ξ_i = 0) = d, learned from M examples
/// η^{μa} = χ^{μa} ξ^μ (P(χ = +1) = (1 + r)/2) with Hebbian couplings
///   unsupervised: J = (1/(N M)) Σ_μ Σ_a η^{μa} η^{μa}ᵀ,  supervised: J = (1/N) Σ_μ η̄^μ η̄^μᵀ,
/// J_ii = 0. Dynamics: asynchronous σ_i ← sign(h_i) with random ties (T = 0), or Glauber:
/// σ_i = +1 with probability 1/(1 + e^{−2 h_i / T}). Sorted Mattis magnetisations |m_μ|,
/// m_μ = (1/N) Σ_i ξ_i^μ σ_i, follow the ladder (1 − d) d^{k−1} at mild dilution.
///
/// One step is one sweep; a trial draws fresh archetypes and examples, stores them, starts from
/// ξ¹ (zeros replaced by random ±1) or a random state and runs `sweeps` sweeps (the big step).
public struct MultitaskHopfield: Simulation {
    public struct Config: Sendable {
        public var n: Int
        public var patterns: Int
        public var dilution: Double
        public var examples: Int
        public var quality: Double
        public var temperature: Double
        public var supervised: Bool
        public var randomStart: Bool
        public var sweeps: Int
        public var maxExamples: Int
        public var rules: [any HopfieldLearningRule]
        public var start: Int
        public init(n: Int = 1000, patterns: Int = 3, dilution: Double = 0.3, examples: Int = 1, quality: Double = 1,
                    temperature: Double = 0, supervised: Bool = false, randomStart: Bool = false, sweeps: Int = 15,
                    maxExamples: Int = 50, rules: [any HopfieldLearningRule] = [HopfieldHebb()], start: Int = 0) {
            self.n = n; self.patterns = patterns; self.dilution = dilution; self.examples = examples; self.quality = quality
            self.temperature = temperature; self.supervised = supervised; self.randomStart = randomStart
            self.sweeps = sweeps; self.maxExamples = maxExamples; self.rules = rules; self.start = start
        }
    }

    public static func metricSpecs(patterns k: Int) -> [MetricSpec] {
        (1...k).map { MetricSpec("m_\($0)", "rank-\($0) |Mattis magnetisation| at the end of a trial (mean over the trials since the last row)") }
            + [MetricSpec("m_ratio", "m_1 / m_2 (the ladder predicts 1/d)", mayBeUndefined: true),
               MetricSpec("ladder_1", "ladder prediction (1 - d) for m_1"),
               MetricSpec("ladder_2", "ladder prediction d (1 - d) for m_2")]
    }

    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("magnetisations", "sorted |m_mu| by rank (mean over trials since the last setting change), the ladder (1-d) d^(k-1) and a +-1/sqrt(N) band"),
        ViewSpec("state", "the spins sigma, grouped: units where only xi^1 is nonzero, then xi^2, ... (rows of 50)"),
        ViewSpec("couplings", "the top-left 128 x 128 block of J"),
    ]

    public let config: Config
    public private(set) var net: Hopfield
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let metricNames: [String]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public private(set) var activeRule: Int
    public var bigStep: StepUnit { StepUnit(name: "trial", steps: config.sweeps) }
    public var ruleEquation: String {
        "\(config.rules[activeRule].equation) over \(supervised ? "example means" : "examples");  "
            + (temperature > 0 ? "Glauber: P(s_i = +1) = 1/(1 + exp(-2 h_i / T))" : "s_i <- sign(h_i), ties at random")
    }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }

    private var dilution: Double, examples: Int, quality: Double, temperature: Double, supervised: Bool, randomStart: Bool
    private var archetypes: Matrix
    private var dataRNG: RNG, orderRNG: RNG, glauberRNG: RNG
    private var order: [Int]
    private var sweepInTrial = 0
    private var rowSums: [Double], rowTrials = 0
    private var lastSorted: [Double]
    /// Cumulative sorted magnetisations since the last setting change (the bar chart).
    private var curveSums: [Double], curveTrials = 0
    /// Unit display order: grouped by which archetypes are nonzero there.
    private var displayOrder: [Int]

    public init(config: Config, seed: UInt64) {
        precondition(config.n >= 4 && config.patterns >= 1 && config.sweeps >= 1 && config.examples >= 1)
        self.config = config
        let root = RNG(seed: seed)
        net = Hopfield(n: config.n, units: .binary, ties: root.stream("ties"))
        dataRNG = root.stream("patterns")
        orderRNG = root.stream("order")
        glauberRNG = root.stream("glauber")
        order = Array(0..<config.n)
        dilution = config.dilution; examples = config.examples; quality = config.quality
        temperature = config.temperature; supervised = config.supervised; randomStart = config.randomStart
        activeRule = config.start
        metricNames = Self.metricSpecs(patterns: config.patterns).map(\.name)
        archetypes = Matrix(rows: config.patterns, cols: config.n)
        rowSums = .init(repeating: 0, count: config.patterns)
        lastSorted = .init(repeating: 0, count: config.patterns)
        curveSums = rowSums
        displayOrder = Array(0..<config.n)
        startTrial()
    }

    /// Draws archetypes and examples, stores the couplings and sets the initial state.
    private mutating func startTrial() {
        let n = config.n, k = config.patterns
        archetypes = Matrix(rows: k, cols: n) { _, _ in
            dataRNG.bernoulli(dilution) ? 0 : (dataRNG.next() & 1 == 0 ? 1 : -1)
        }
        let pPlus = (1 + quality) / 2
        // Rows whose Hebbian sum (1/N) Σ rows rowsᵀ is J: examples / √M (unsupervised) or means.
        var rows = Matrix(rows: supervised ? k : k * examples, cols: n)
        for mu in 0..<k {
            for a in 0..<examples {
                for i in 0..<n {
                    let chi: Float = dataRNG.bernoulli(pPlus) ? 1 : -1
                    let eta = chi * archetypes[mu, i]
                    if supervised {
                        rows.storage[mu * n + i] += eta / Float(examples)
                    } else {
                        rows.storage[(mu * examples + a) * n + i] = eta / Float(examples).squareRoot()
                    }
                }
            }
        }
        net.store(rows, rule: config.rules[activeRule])
        for i in 0..<n {
            let x = archetypes[0, i]
            net.state[i] = !randomStart && x != 0 ? x : (dataRNG.next() & 1 == 0 ? 1 : -1)
        }
        displayOrder = (0..<n).sorted { a, b in groupKey(a) < groupKey(b) || (groupKey(a) == groupKey(b) && a < b) }
        sweepInTrial = 0
    }

    /// Units where archetype μ is the first nonzero come in block μ; units where all are zero last.
    private func groupKey(_ i: Int) -> Int {
        for mu in 0..<config.patterns where archetypes[mu, i] != 0 { return mu }
        return config.patterns
    }

    private mutating func glauberSweep() {
        orderRNG.shuffle(&order)
        let beta2 = 2 / temperature
        for i in order {
            let h = Double(net.field(i))
            net.state[i] = glauberRNG.uniformDouble() < 1 / (1 + Foundation.exp(-beta2 * h)) ? 1 : -1
        }
    }

    /// |m_μ| sorted in decreasing order.
    private func sortedMagnetisations() -> [Double] {
        (0..<config.patterns).map { abs(net.overlap(with: archetypes, $0)) }.sorted(by: >)
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            if temperature > 0 { glauberSweep() } else { net.sweep(order: &order, rng: &orderRNG) }
            step += 1
            sweepInTrial += 1
            if sweepInTrial == config.sweeps {
                lastSorted = sortedMagnetisations()
                for k in lastSorted.indices { rowSums[k] += lastSorted[k]; curveSums[k] += lastSorted[k] }
                rowTrials += 1
                curveTrials += 1
                startTrial()
            }
        }
    }

    public mutating func measure() -> [Double] {
        let m = rowTrials > 0 ? rowSums.map { $0 / Double(rowTrials) } : lastSorted
        rowSums = rowSums.map { _ in 0 }
        rowTrials = 0
        let ratio = m.count > 1 && m[1] > 0 ? m[0] / m[1] : .nan
        return m + [ratio, 1 - dilution, dilution * (1 - dilution)]
    }

    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
    }

    public var controls: [Control] {
        [Control(name: "dilution", value: dilution, range: 0...0.95, step: 0.05),
         Control(name: "examples", value: Double(examples), range: 1...Double(config.maxExamples), step: 1),
         Control(name: "quality", value: quality, range: 0...1, step: 0.05),
         Control(name: "temperature", value: temperature, range: 0...2, step: 0.05),
         Control(name: "couplings", value: supervised ? 1 : 0, range: 0...1, step: 1, labels: ["unsupervised", "supervised"]),
         Control(name: "start", value: randomStart ? 1 : 0, range: 0...1, step: 1, labels: ["pattern", "random"])]
    }

    /// Every setting takes effect at the next trial; the bar chart's mean restarts.
    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "dilution": dilution = value
        case "examples": examples = Int(value.rounded())
        case "quality": quality = value
        case "temperature": temperature = value
        case "couplings": supervised = value.rounded() == 1
        default: randomStart = value.rounded() == 1
        }
        curveSums = curveSums.map { _ in 0 }
        curveTrials = 0
        return nil
    }

    public func views() -> [String: PanelView] {
        let k = config.patterns
        let xs = (1...k).map(Float.init)
        let measured = (0..<k).map { curveTrials > 0 ? Float(curveSums[$0] / Double(curveTrials)) : .nan }
        let ladder = (0..<k).map { Float((1 - dilution) * Foundation.pow(dilution, Double($0))) }
        let band = Float(1 / Double(config.n).squareRoot())
        let n = config.n, cols = 50, rows = (n + cols - 1) / cols
        var grid = [Float](repeating: 0, count: rows * cols)
        for (slot, i) in displayOrder.enumerated() { grid[slot] = net.state[i] }
        let b = min(n, 128)
        var block = [Float](repeating: 0, count: b * b)
        for i in 0..<b { for j in 0..<b { block[i * b + j] = net.weights[i * n + j] } }
        let peak = block.reduce(Float(0)) { max($0, abs($1)) }
        return [
            "magnetisations": .traces(TracesView(names: ["measured |m| by rank", "ladder (1-d) d^(k-1)", "ladder + 1/sqrt N", "ladder - 1/sqrt N"],
                                                 series: [measured, ladder, ladder.map { $0 + band }, ladder.map { $0 - band }],
                                                 unit: "|m|", xs: [xs, xs, xs, xs], xLabel: "rank k")),
            "state": .heatmap(HeatmapView(rows: rows, cols: cols, values: grid, scale: .symmetric(1))),
            "couplings": .heatmap(HeatmapView(rows: b, cols: b, values: block, scale: .symmetric(max(peak, 1e-6)))),
        ]
    }

    public func probe() -> [Factor] {
        [Factor("field h_0", Double(net.field(0))), Factor("spin s_0", Double(net.state[0])),
         Factor("xi^1_0", Double(archetypes[0, 0])), Factor("trials in chart", Double(curveTrials))]
    }
}
