import SynCore

/// The readout of an echo-state network is fitted, not learned by a plasticity rule: the
/// family's only rule is `none` (`model = "echo_memory"`).
public enum EchoMemoryRules {
    public static let registry = RuleRegistry<NoPlasticity>(
        family: "echo_memory", summary: "tanh echo-state network: fixed reservoir, ridge readouts, no plasticity (model = \"echo_memory\")", [
            .init(NoPlasticity.self) { $0 },
        ])
}

/// Memory capacity of a tanh echo-state network against its spectral radius (scene
/// `echo-memory`; Jaeger 2001, 2002): the edge of chaos made visible.
///
///     r(t+1) = tanh(g W r(t) + w_in u(t+1)),   W ~ N(0, 1/N),   u ~ U(−1, 1) i.i.d.
///
/// g is the spectral radius (by the circular law, for large N), w_in ~ U(−s, s). One network,
/// many copies of its state: a grid of fixed radii g_1 < … < g_m plus one `live` copy whose g is
/// the control "radius". A trial (the big step) is `testSteps` inputs; every copy starts at r = 0,
/// the first `washout` states are dropped, the next `trainSteps` fit ridge readouts ŷ_k of
/// u(t−k) on [r(t); 1] (k = 1…K, `RidgeAccumulator`), and the rest score them:
/// MC = Σ_k corr²(ŷ_k, u(t−k)) (`MemoryCapacity`). Below g ≈ 1 memory grows with g (slower
/// fading of the input's echo); past it the reservoir's own activity becomes self-sustained and
/// irregular, drowns the input, and MC collapses. Every trial draws a new input stream for the
/// same network; the metrics show the last finished trial (NaN before it).
public struct EchoMemorySimulation: Simulation {
    public struct Config: Sendable {
        public var units: Int
        public var inputScale: Double
        /// The live copy's radius at the start (control "radius").
        public var radius: Double
        /// The fixed radii of the MC-against-radius curve, ascending.
        public var radii: [Double]
        public var testSteps: Int
        public var washout: Int
        public var trainFraction: Double
        public var delays: Int
        public var ridge: Double
        public init(units: Int = 100, inputScale: Double = 0.1, radius: Double = 0.9,
                    radii: [Double] = [0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2, 1.4, 1.7],
                    testSteps: Int = 1600, washout: Int = 100, trainFraction: Double = 0.7, delays: Int = 100, ridge: Double = 1e-6) {
            self.units = units; self.inputScale = inputScale; self.radius = radius; self.radii = radii
            self.testSteps = testSteps; self.washout = washout; self.trainFraction = trainFraction
            self.delays = delays; self.ridge = ridge
        }
        /// Readout training rows per trial.
        public var trainSteps: Int { Int((Double(testSteps - washout) * trainFraction).rounded()) }
        /// Readout scoring rows per trial.
        public var scoreSteps: Int { testSteps - washout - trainSteps }
    }

    public static let metricSpecs: [MetricSpec] = [
        MetricSpec("mc", "memory capacity Σ_k corr² of the live copy (radius control) in the last finished trial", mayBeUndefined: true),
        MetricSpec("radius", "the live copy's spectral radius g"),
        MetricSpec("mc_best", "largest memory capacity over the fixed radii in the last finished trial", mayBeUndefined: true),
        MetricSpec("best_radius", "the fixed radius with the largest memory capacity", mayBeUndefined: true),
        MetricSpec("state_rms", "rms state of the live copy over the last trial's scoring rows (self-sustained activity above g ≈ 1)",
                   mayBeUndefined: true),
        MetricSpec("trials", "finished trials"),
    ]
    public static let viewSpecs = [
        ViewSpec("memory", "r²(k) = corr²(ŷ_k, u(t−k)) against delay k: the live copy and the best fixed radius (area = MC)"),
        ViewSpec("mc_curve", "memory capacity against spectral radius g over the fixed radii; the bar marks the live g"),
        ViewSpec("activity", "states of 32 units of the live copy over the last 120 steps (colour scale ± their largest |r|)"),
    ]
    static let shownUnits = 32
    static let shownSteps = 120

    /// One copy of the reservoir state at one radius, with the current trial's readout statistics.
    struct Copy {
        var net: EchoStateNetwork
        var ridge: RidgeAccumulator
        var scored: [Float]
        var r2: [Float]
        var mc = Double.nan
        var rms = Double.nan
    }

    public let config: Config
    public private(set) var step = 0
    public var dt: Double { 0 }
    public var metricNames: [String] { Self.metricSpecs.map(\.name) }
    public var ruleNames: [String] { [NoPlasticity.name] }
    public var activeRule: Int { 0 }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "trial", steps: config.testSteps) }
    public var ruleEquation: String {
        "r <- tanh(g W r + w_in u), g = \(Self.text(copies[0].net.scale)) (live); "
            + "ridge readouts y_k = w_k [r; 1] of u(t-k), MC = sum_k corr^2"
    }

    /// copies[0] is the live copy; copies[1...] follow `config.radii`.
    private var copies: [Copy]
    private let root: RNG
    private var trial = 0
    private var trialStart = 0
    private var inputs: [Float] = []
    private var targetRow: [Float]
    private var input: [Float] = [0]
    private var history: [Float]

    public init(config: Config, seed: UInt64) {
        precondition(config.units >= 1 && config.delays >= 1 && config.washout > config.delays
                     && config.trainSteps > config.units + 1 && config.scoreSteps >= 2 && !config.radii.isEmpty)
        self.config = config
        root = RNG(seed: seed)
        var wr = root.stream("weights")
        let base = EchoStateNetwork(size: config.units, inputs: 1, outputs: 1, radius: 1, inputScale: Float(config.inputScale), rng: &wr)
        let k = config.delays
        copies = ([config.radius] + config.radii).map { g in
            var net = base
            net.scale = Float(g)
            return Copy(net: net, ridge: RidgeAccumulator(features: config.units, outputs: k), scored: [],
                        r2: [Float](repeating: .nan, count: k))
        }
        targetRow = [Float](repeating: 0, count: k)
        history = [Float](repeating: 0, count: Self.shownUnits * Self.shownSteps)
    }

    public var controls: [Control] {
        [Control(name: "radius", value: Double(copies[0].net.scale), range: 0.05...2, step: 0.05)]
    }

    /// "radius" rescales the live copy's W and restarts the current trial.
    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        copies[0].net.scale = Float(value)
        trialStart = step
        return nil
    }

    public mutating func selectRule(_ index: Int) {}

    /// Trial step q feeds u_q to every copy; the state after it is row q of the trial.
    public mutating func advance(_ steps: Int) {
        let n = config.units, w = config.washout, train = config.trainSteps
        for _ in 0..<max(0, steps) {
            let q = step - trialStart
            if q == 0 { beginTrial() }
            input[0] = inputs[q]
            let fits = q >= w && q < w + train
            // Delay k = 1…K (index k − 1) targets u(t − k), t = q the input just fed (Jaeger 2002).
            if fits { for k in 0..<config.delays { targetRow[k] = inputs[q - 1 - k] } }
            for c in copies.indices {
                copies[c].net.step(input)
                if fits { copies[c].ridge.add(copies[c].net.state, targetRow) }
                if q >= w + train { copies[c].scored.append(contentsOf: copies[c].net.state) }
            }
            let col = step % Self.shownSteps
            for i in 0..<min(n, Self.shownUnits) { history[col * Self.shownUnits + i] = copies[0].net.state[i] }
            step += 1
            if step - trialStart == config.testSteps {
                finishTrial()
                trial += 1
                trialStart = step
            }
        }
    }

    /// A fresh input stream; every copy restarts at r = 0 with empty readout statistics.
    private mutating func beginTrial() {
        var s = root.stream("input").stream(trial)
        inputs = (0..<config.testSteps).map { _ in s.uniform(-1, 1) }
        for c in copies.indices {
            copies[c].net.reset()
            copies[c].ridge = RidgeAccumulator(features: config.units, outputs: config.delays)
            copies[c].scored.removeAll(keepingCapacity: true)
        }
    }

    /// Fits every copy's readouts and scores them on the held-out rows.
    private mutating func finishTrial() {
        let n = config.units, k = config.delays
        for c in copies.indices {
            let states = copies[c].scored
            copies[c].rms = (states.reduce(0.0) { $0 + Double($1 * $1) } / Double(max(1, states.count))).squareRoot()
            guard let w = copies[c].ridge.solve(lambda: config.ridge) else {
                copies[c].r2 = [Float](repeating: .nan, count: k)
                copies[c].mc = .nan
                continue
            }
            (copies[c].r2, copies[c].mc) = MemoryCapacity.curve(weights: w, states: states, units: n, delays: k, inputs: inputs,
                                                                firstInput: config.washout + config.trainSteps - 1)
        }
    }

    /// Index (in `copies`) of the fixed radius with the largest MC; nil before the first trial.
    private var best: Int? {
        let grid = copies.indices.dropFirst().filter { copies[$0].mc.isFinite }
        return grid.max { copies[$0].mc < copies[$1].mc }
    }

    public mutating func measure() -> [Double] {
        let live = copies[0]
        let b = best
        return [live.mc, Double(live.net.scale), b.map { copies[$0].mc } ?? .nan, b.map { config.radii[$0 - 1] } ?? .nan,
                live.rms, Double(trial)]
    }

    public func views() -> [String: PanelView] {
        let ks = (1...config.delays).map { Float($0) }
        let live = copies[0]
        var names = ["live g = \(Self.text(live.net.scale))"]
        var series = [live.r2]
        if let b = best {
            names.append("best fixed g = \(NumberFormat.shortest(config.radii[b - 1]))")
            series.append(copies[b].r2)
        }
        let memory = TracesView(names: names, series: series, unit: "r2", xs: Array(repeating: ks, count: series.count), xLabel: "delay k")
        let gs = config.radii.map { Float($0) }
        let mcs = copies.dropFirst().map { Float($0.mc) }
        let top = max(1, mcs.filter(\.isFinite).max() ?? 1)
        let g = Float(live.net.scale)
        let curve = TracesView(names: ["MC (fixed radii)", "live g"], series: [mcs, [0, top]], unit: "MC",
                               xs: [gs, [g, g]], xLabel: "spectral radius g")
        // Activity: shown units (rows) x last steps (columns, oldest first).
        let m = Self.shownUnits, cols = Self.shownSteps
        var act = [Float](repeating: 0, count: m * cols)
        let filled = min(step, cols)
        for c in 0..<filled {
            let src = ((step - filled + c) % cols) * m
            for r in 0..<min(m, config.units) { act[r * cols + (cols - filled + c)] = history[src + r] }
        }
        return [
            "memory": .traces(memory),
            "mc_curve": .traces(curve),
            "activity": .heatmap(HeatmapView(rows: m, cols: cols, values: act,
                                             scale: .symmetric(max(1e-3, act.reduce(0) { max($0, abs($1)) })))),
        ]
    }

    /// A radius as typed (the Float's nearest 4-decimal value, not 0.8999999761581421).
    static func text(_ g: Float) -> String { NumberFormat.shortest((Double(g) * 1e4).rounded() / 1e4) }

    public func probe() -> [Factor] {
        let live = copies[0]
        return [Factor("g (live)", Double(live.net.scale)), Factor("r_0", Double(live.net.state[0])),
                Factor("MC (last trial)", live.mc)]
    }
}
