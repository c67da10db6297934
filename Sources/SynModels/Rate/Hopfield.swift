import SynCore

/// A Hopfield network (Hopfield 1982; graded units: Hopfield 1984) of `n` units with
/// asynchronous updates; W is set by a storage rule (`HopfieldRules`, e.g. `HopfieldHebb`).
///
/// Update of unit i (one at a time, random order each sweep):
/// h_i = sum_j W_ij s_j; binary: s_i <- sign(h_i), a tie h_i = 0 drawn as +-1 with equal
/// probability from the `ties` stream (a fixed sign would bias diluted patterns); continuous:
/// s_i <- tanh(gain * h_i). The energy E = -1/2 sum_ij W_ij s_i s_j never increases under
/// binary asynchronous updates. Random patterns are recalled up to a load P/n of about 0.138
/// (Amit, Gutfreund & Sompolinsky 1985); beyond it retrieval collapses.
public struct Hopfield: Sendable {
    /// The unit type: binary s = sign(h) in {-1, +1}, or graded.
    public enum Units: Sendable, Equatable {
        /// Binary units s = sign(h) in {-1, +1}.
        case binary
        /// Graded units s = tanh(gain h), gain dimensionless.
        case continuous(gain: Float)
    }

    public let n: Int
    public let units: Units
    /// W, row-major n x n, zero diagonal.
    public internal(set) var weights: [Float]
    /// The state s, in {-1, +1} (binary) or [-1, 1] (continuous).
    public var state: [Float]
    /// The stream that breaks ties h_i = 0 of binary units (drawn only when a tie occurs).
    public var ties: RNG

    public init(n: Int, units: Units, ties: RNG = RNG(seed: 0).stream("ties")) {
        precondition(n > 0)
        self.n = n
        self.units = units
        self.ties = ties
        weights = [Float](repeating: 0, count: n * n)
        state = [Float](repeating: 1, count: n)
    }

    /// Stores the rows of `patterns` (each in {-1, +1}^n) with `rule` (Hebb's by default),
    /// replacing W.
    public mutating func store(_ patterns: Matrix, count: Int? = nil, rule: any HopfieldLearningRule = HopfieldHebb()) {
        rule.store(patterns, count: count ?? patterns.rows, into: &self)
    }

    /// Local field h_i = sum_j W_ij s_j.
    public func field(_ i: Int) -> Float {
        weights.withUnsafeBufferPointer { wb in
            state.withUnsafeBufferPointer { sb in
                guard let w = wb.baseAddress, let s = sb.baseAddress else { return 0 }
                return RateKernels.dot(w + i * n, s, n)
            }
        }
    }

    /// Updates unit i; returns true when its state changed.
    @discardableResult
    public mutating func update(_ i: Int) -> Bool {
        let h = field(i)
        let old = state[i]
        switch units {
        case .binary: state[i] = h > 0 ? 1 : h < 0 ? -1 : (ties.next() & 1 == 0 ? 1 : -1)
        case .continuous(let g): state[i] = RateKernels.tanh1(g * h)
        }
        return state[i] != old
    }

    /// One asynchronous sweep over all units in a fresh random order; returns the number of
    /// units whose state changed.
    @discardableResult
    public mutating func sweep(order: inout [Int], rng: inout RNG) -> Int {
        rng.shuffle(&order)
        var changed = 0
        for i in order where update(i) { changed += 1 }
        return changed
    }

    /// Overlap m = (1/n) sum_i xi_i s_i with pattern row `mu` of `patterns` (1 = perfect recall).
    public func overlap(with patterns: Matrix, _ mu: Int) -> Double {
        var m = 0.0
        for i in 0..<n { m += Double(patterns[mu, i] * state[i]) }
        return m / Double(n)
    }

    /// Energy E = -1/2 sum_ij W_ij s_i s_j.
    public func energy() -> Double {
        var e = 0.0
        for i in 0..<n { e -= 0.5 * Double(state[i]) * Double(field(i)) }
        return e
    }
}

/// Store-and-recall experiment (scene `hopfield`): P random patterns are stored; each trial
/// starts from a stored pattern with a fraction of its bits flipped and runs `sweeps`
/// asynchronous sweeps. One step = one sweep; the big step is one trial.
///
/// Metrics: `recall_overlap` (mean final overlap with the cued pattern over the trials finished
/// since the last measurement; the last trial's if none), `overlap` (current state vs the cued
/// pattern), `energy` (per unit, E / n), `load` (P / n).
public struct HopfieldSimulation: Simulation {
    /// Network size and unit type, stored patterns (start and maximum), cue corruption and
    /// recall sweeps per trial.
    public struct Config: Sendable {
        public var n: Int
        public var units: Hopfield.Units
        public var patterns: Int
        public var maxPatterns: Int
        /// Fraction of cue bits flipped, in [0, 0.5].
        public var corruption: Double
        public var sweeps: Int
        /// Switchable storage rules; `start` indexes it.
        public var rules: [any HopfieldLearningRule]
        public var start: Int
        public init(n: Int, units: Hopfield.Units, patterns: Int, maxPatterns: Int, corruption: Double, sweeps: Int,
                    rules: [any HopfieldLearningRule] = [HopfieldHebb()], start: Int = 0) {
            self.n = n; self.units = units; self.patterns = patterns; self.maxPatterns = maxPatterns
            self.corruption = corruption; self.sweeps = sweeps; self.rules = rules; self.start = start
        }
    }

    public let config: Config
    public private(set) var net: Hopfield
    /// All `maxPatterns` candidate patterns; the first `patterns` are stored.
    public let bank: Matrix
    public private(set) var patterns: Int
    public private(set) var step = 0
    public var dt: Double { 0 }
    public let metricNames = ["recall_overlap", "overlap", "energy", "load"]
    public var ruleNames: [String] { config.rules.map(\.name) }
    public private(set) var activeRule: Int
    private var rule: any HopfieldLearningRule { config.rules[activeRule] }
    public var bigStep: StepUnit { StepUnit(name: "trial", steps: config.sweeps) }
    public var ruleEquation: String { "\(rule.equation);  s_i <- \(config.units == .binary ? "sign" : "tanh")(sum_j W_ij s_j)" }
    /// `weights` shows the top-left (at most 128 x 128) block of W.
    public let viewNames = ["state", "target", "weights"]

    private var cueRNG: RNG
    private var orderRNG: RNG
    private var order: [Int]
    private var target = 0
    private var sweepInTrial = 0
    private var finishedSum = 0.0
    private var finishedCount = 0
    private var lastRecall = 0.0
    private let probeUnit = 0
    /// A `patterns` change made during a trial: it takes effect when that trial ends, so every
    /// trial lasts `sweeps` steps and the big step (`N`) keeps ending exactly at a trial's end.
    private var pendingPatterns: Int?

    public init(config: Config, seed: UInt64) {
        precondition(config.patterns >= 1 && config.patterns <= config.maxPatterns && config.sweeps >= 1)
        self.config = config
        let root = RNG(seed: seed)
        var prng = root.stream("patterns")
        bank = Matrix(rows: config.maxPatterns, cols: config.n) { _, _ in prng.next() & 1 == 0 ? 1 : -1 }
        net = Hopfield(n: config.n, units: config.units, ties: root.stream("ties"))
        patterns = config.patterns
        activeRule = config.start
        net.store(bank, count: patterns, rule: config.rules[config.start])
        cueRNG = root.stream("cue")
        orderRNG = root.stream("order")
        order = Array(0..<config.n)
        startTrial()
    }

    public var controls: [Control] {
        [Control(name: "patterns", value: Double(pendingPatterns ?? patterns), range: 1...Double(config.maxPatterns), step: 1)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        guard name == "patterns" else { return "unknown control '\(name)'" }
        guard value >= 1, value <= Double(config.maxPatterns), value == value.rounded() else {
            return "patterns: expected an integer in [1, \(config.maxPatterns)], got \(value)"
        }
        if sweepInTrial == 0 {
            // Between trials: store now and cue from the new set.
            pendingPatterns = nil
            patterns = Int(value)
            net.store(bank, count: patterns, rule: rule)
            startTrial()
        } else {
            pendingPatterns = Int(value)
        }
        return nil
    }

    /// Stores the current patterns with the new rule at once (the state in flight is kept).
    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        net.store(bank, count: patterns, rule: rule)
    }

    /// Cues a random stored pattern with a fraction `corruption` of its bits flipped.
    private mutating func startTrial() {
        target = cueRNG.int(below: patterns)
        for i in 0..<config.n {
            let flip = cueRNG.bernoulli(config.corruption)
            net.state[i] = flip ? -bank[target, i] : bank[target, i]
        }
        sweepInTrial = 0
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            net.sweep(order: &order, rng: &orderRNG)
            step += 1
            sweepInTrial += 1
            if sweepInTrial == config.sweeps {
                lastRecall = net.overlap(with: bank, target)
                finishedSum += lastRecall
                finishedCount += 1
                if let p = pendingPatterns {
                    pendingPatterns = nil
                    patterns = p
                    net.store(bank, count: patterns, rule: rule)
                }
                startTrial()
            }
        }
    }

    public mutating func measure() -> [Double] {
        let recall = finishedCount > 0 ? finishedSum / Double(finishedCount) : lastRecall
        finishedSum = 0
        finishedCount = 0
        return [recall, net.overlap(with: bank, target), net.energy() / Double(config.n), Double(patterns) / Double(config.n)]
    }

    /// Side of the square image for n units (or a single row when n is not a square).
    private var shape: (Int, Int) {
        let s = Int(Double(config.n).squareRoot().rounded())
        return s * s == config.n ? (s, s) : (1, config.n)
    }

    public func views() -> [String: PanelView] {
        let (r, c) = shape
        let tile = TileShape(rows: r, cols: c)
        // The top-left k x k block of W (at most 128 x 128, so a frame stays cheap for large N).
        let k = min(config.n, 128)
        var block = [Float](repeating: 0, count: k * k)
        for i in 0..<k { for j in 0..<k { block[i * k + j] = net.weights[i * config.n + j] } }
        return [
            "state": .heatmap(HeatmapView(rows: 1, cols: config.n, values: net.state, tile: tile, scale: .symmetric(1))),
            "target": .heatmap(HeatmapView(rows: 1, cols: config.n, values: bank.row(target), tile: tile, scale: .symmetric(1))),
            "weights": .heatmap(HeatmapView(rows: k, cols: k, values: block,
                                            scale: .symmetric(Float(max(1, patterns)) / Float(config.n)))),
        ]
    }

    public func probe() -> [Factor] {
        let i = probeUnit
        return [Factor("field h_i", Double(net.field(i))), Factor("state s_i", Double(net.state[i])),
                Factor("target xi_i", Double(bank[target, i])), Factor("W_i0", Double(net.weights[i * config.n]))]
    }
}
