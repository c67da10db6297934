import SynCore

/// Memory capacity of a Dale's-law reservoir under global versus local inhibitory gains
/// (scene `adaptive-ei-reservoir`, science page 36; the adaptation rule is reconstructed).
/// Seven arms share one network (`InhibitoryGainReservoir`) and run side by side:
///
/// - `global_050` … `global_200`: every β_i = c · β_bal for c ∈ {0.5, 1, 1.5, 2};
/// - `local_050`, `local_030`: β_i adapted by the active rule toward ρ = 0.5 or 0.3;
/// - `local_hetero`: the same toward per-unit targets ρ_i ~ U(0.2, 0.8).
///
/// One trial (the big step) = `adaptSteps` steps in which the local arms adapt from β_bal on
/// their own input stream, then `testSteps` steps in which every arm, started at x = 0.5 with
/// frozen β, sees the same i.i.d. U(−1, 1) test stream: after `washout` steps the first
/// `trainFraction` of the rest fits ridge readouts ŷ_k(t) of u_{t−k} on [x_t, 1] for
/// k = 1…K, the rest scores them: MC = Σ_k corr²(ŷ_k, u_{t−k}). Every trial draws new
/// streams for the same network; the metrics show the last finished trial (NaN before it).
public struct AdaptiveReservoirSimulation: Simulation {
    public struct Config: Sendable {
        public var units: Int
        public var connectionProbability: Double
        public var meanExcitation: Double
        public var inputScale: Double
        public var leak: Double
        public var bias: Double
        public var adaptSteps: Int
        public var testSteps: Int
        public var washout: Int
        public var trainFraction: Double
        public var delays: Int
        public var ridge: Double
        public var heterogeneousTargets: ClosedRange<Double>
        public var rules: [any GainModulationRule]
        public var start: Int
        public init(units: Int = 200, connectionProbability: Double = 0.1, meanExcitation: Double = 4, inputScale: Double = 1,
                    leak: Double = 1, bias: Double = 0, adaptSteps: Int = 4000, testSteps: Int = 3000, washout: Int = 200,
                    trainFraction: Double = 0.7, delays: Int = 100, ridge: Double = 1e-6,
                    heterogeneousTargets: ClosedRange<Double> = 0.2...0.8,
                    rules: [any GainModulationRule] = [InhibitoryGainHomeostasis(), FrozenGain()], start: Int = 0) {
            self.units = units; self.connectionProbability = connectionProbability; self.meanExcitation = meanExcitation
            self.inputScale = inputScale; self.leak = leak; self.bias = bias; self.adaptSteps = adaptSteps
            self.testSteps = testSteps; self.washout = washout; self.trainFraction = trainFraction; self.delays = delays
            self.ridge = ridge; self.heterogeneousTargets = heterogeneousTargets; self.rules = rules; self.start = start
        }

        /// Readout training rows per trial.
        public var trainSteps: Int { Int((Double(testSteps - washout) * trainFraction).rounded()) }
        /// Readout scoring rows per trial.
        public var scoreSteps: Int { testSteps - washout - trainSteps }
    }

    /// How an arm sets its inhibitory gains.
    public enum ArmKind: Sendable, Equatable {
        /// β_i = ratio · β_bal, fixed.
        case global(ratio: Float)
        /// β_i adapted toward one target rate.
        case local(target: Float)
        /// β_i adapted toward per-unit targets drawn uniformly from the configured range.
        case heterogeneous
    }

    /// The arms, in metric order (`mc_<name>`).
    public static let arms: [(name: String, kind: ArmKind)] = [
        ("global_050", .global(ratio: 0.5)), ("global_100", .global(ratio: 1)), ("global_150", .global(ratio: 1.5)),
        ("global_200", .global(ratio: 2)), ("local_050", .local(target: 0.5)), ("local_030", .local(target: 0.3)),
        ("local_hetero", .heterogeneous),
    ]
    /// Metric columns: one memory capacity per arm, then the local ρ = 0.5 arm's readouts.
    public static let metricSpecs: [MetricSpec] = arms.map {
        MetricSpec("mc_\($0.name)", "memory capacity Σ_k corr² of arm \($0.name) in the last finished trial", mayBeUndefined: true)
    } + [
        MetricSpec("beta_ratio", "mean β_i / β_bal of arm local_050 (adapting, then frozen for the test)"),
        MetricSpec("rate_mean", "mean rate x_i of arm local_050 at this step"),
        MetricSpec("trials", "finished trials"),
    ]
    public static let viewSpecs = [
        ViewSpec("memory", "r²(k) = corr²(ŷ_k, u_{t−k}) against delay k for every arm (area = MC)"),
        ViewSpec("beta", "histogram of β_i / β_bal in arm local_050"),
        ViewSpec("rates", "per-unit mean test rate against its target ρ_i in arm local_hetero"),
        ViewSpec("activity", "rates of 48 E and 16 I units of arm local_050 over the last 200 steps"),
    ]
    static let shownSteps = 200

    public let config: Config
    public private(set) var network: InhibitoryGainReservoir
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public private(set) var rule: any GainModulationRule
    public var dt: Double { 0 }
    public var metricNames: [String] { Self.metricSpecs.map(\.name) }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "trial", steps: trialSteps) }
    public var ruleEquation: String {
        rule.equation + ";  x <- sigmoid(W_E x - beta (W_I x) + w_in u);  global arms: beta_i = c beta_bal"
    }

    /// Per-arm state: rates, gains, targets and the current trial's readout statistics.
    struct Arm {
        let kind: ArmKind
        var x: [Float]
        var beta: [Float]
        let targets: [Float]
        var ridge: RidgeAccumulator
        /// Scoring rows: states (scoreSteps × N) and their step index in the test stream.
        var scored: [Float]
        var rateSum: [Double]
        var r2: [Float]
        var mc = Double.nan
        var adapts: Bool { if case .global = kind { false } else { true } }
    }

    private var arms: [Arm]
    private let root: RNG
    private var trialSteps: Int { config.adaptSteps + config.testSteps }
    private var trial = 0
    private var trialStart = 0
    private var testInput: [Float]
    private var adaptStream: RNG
    private var targetRow: [Float]
    private var history: [Float]
    private let shownUnits: [Int]
    private var lastDeltaBeta: Float = 0

    public init(config: Config, seed: UInt64) {
        precondition(config.rules.indices.contains(config.start) && config.delays >= 1 && config.washout >= config.delays
                     && config.trainSteps > config.units + 1 && config.scoreSteps >= 2)
        self.config = config
        root = RNG(seed: seed)
        var wr = root.stream("weights")
        network = InhibitoryGainReservoir(size: config.units, connectionProbability: config.connectionProbability,
                                          meanExcitation: Float(config.meanExcitation), inputScale: Float(config.inputScale),
                                          leak: Float(config.leak), bias: Float(config.bias), rng: &wr)
        activeRule = config.start
        rule = config.rules[config.start]
        var tr = root.stream("targets")
        let lo = Float(config.heterogeneousTargets.lowerBound), hi = Float(config.heterogeneousTargets.upperBound)
        let hetero = (0..<config.units).map { _ in tr.uniform(lo, hi) }
        let n = config.units
        arms = Self.arms.map { a in
            let targets: [Float]
            switch a.kind {
            case .global: targets = [Float](repeating: 0.5, count: n)
            case .local(let rho): targets = [Float](repeating: rho, count: n)
            case .heterogeneous: targets = hetero
            }
            return Arm(kind: a.kind, x: [Float](repeating: 0.5, count: n), beta: [Float](repeating: 0, count: n), targets: targets,
                       ridge: RidgeAccumulator(features: n, outputs: config.delays), scored: [], rateSum: [Double](repeating: 0, count: n),
                       r2: [Float](repeating: .nan, count: config.delays))
        }
        testInput = []
        adaptStream = root.stream("adapt")
        targetRow = [Float](repeating: 0, count: config.delays)
        shownUnits = Array(0..<min(48, network.excitatory)) + Array(network.excitatory..<min(n, network.excitatory + 16))
        history = [Float](repeating: 0, count: shownUnits.count * Self.shownSteps)
        adaptStream = root.stream("adapt").stream(0)
        beginTrial()
    }

    /// Resets the arms at a trial's first step: local arms start adapting from β_bal on a
    /// fresh stream. (Lazy, so between trials the views and metrics still show the gains
    /// and rates of the trial just finished.)
    private mutating func beginTrial() {
        adaptStream = root.stream("adapt").stream(trial)
        for k in arms.indices {
            arms[k].x = [Float](repeating: 0.5, count: config.units)
            let b: Float
            if case .global(let ratio) = arms[k].kind { b = ratio * network.betaBalance } else { b = network.betaBalance }
            arms[k].beta = [Float](repeating: b, count: config.units)
        }
    }

    /// Starts the test stream: every arm restarts at x = 0.5 with its gains frozen.
    private mutating func beginTest() {
        var ts = root.stream("test").stream(trial)
        testInput = (0..<config.testSteps).map { _ in ts.uniform(-1, 1) }
        for k in arms.indices {
            arms[k].x = [Float](repeating: 0.5, count: config.units)
            arms[k].ridge = RidgeAccumulator(features: config.units, outputs: config.delays)
            arms[k].scored = []
            arms[k].scored.reserveCapacity(config.scoreSteps * config.units)
            arms[k].rateSum = [Double](repeating: 0, count: config.units)
        }
    }

    public var controls: [Control] {
        [Control(name: "j", value: Double(network.meanExcitation), range: 1...12, step: 0.5)]
    }

    /// `j` rescales the recurrent weights and restarts the current trial.
    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        network.setMeanExcitation(Float(value))
        trialStart = step
        return nil
    }

    /// Switches the local arms' rule; their gains are kept (`frozen` holds them where they are).
    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        rule = config.rules[index]
        lastDeltaBeta = 0
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            let p = step - trialStart
            if p == 0 { beginTrial() }
            if p < config.adaptSteps {
                let u = adaptStream.uniform(-1, 1)
                for k in arms.indices where arms[k].adapts {
                    network.step(&arms[k].x, beta: arms[k].beta, input: u)
                    let before = arms[k].beta[0]
                    rule.adapt(&arms[k].beta, activity: arms[k].x, reference: arms[k].targets)
                    if k == 4 { lastDeltaBeta = arms[k].beta[0] - before }
                }
            } else {
                let q = p - config.adaptSteps
                if q == 0 { beginTest() }
                testStep(q)
            }
            record(arms[4].x)
            step += 1
            if step - trialStart == trialSteps {
                finishTrial()
                trial += 1
                trialStart = step
            }
        }
    }

    /// Test step q: every arm sees u_q; the state after it is x_{q+1}.
    private mutating func testStep(_ q: Int) {
        let u = testInput[q]
        let t = q + 1
        let train = t > config.washout && t <= config.washout + config.trainSteps
        let score = t > config.washout + config.trainSteps
        if train { for k in 0..<config.delays { targetRow[k] = testInput[t - 1 - k] } }
        for k in arms.indices {
            network.step(&arms[k].x, beta: arms[k].beta, input: u)
            if train { arms[k].ridge.add(arms[k].x, targetRow) }
            if score {
                arms[k].scored.append(contentsOf: arms[k].x)
                for i in 0..<config.units { arms[k].rateSum[i] += Double(arms[k].x[i]) }
            }
        }
    }

    /// Fits each arm's readouts and scores them on the held-out rows.
    private mutating func finishTrial() {
        let n = config.units, kMax = config.delays
        let firstT = config.washout + config.trainSteps + 1
        for a in arms.indices {
            guard let w = arms[a].ridge.solve(lambda: config.ridge) else {
                arms[a].r2 = [Float](repeating: .nan, count: kMax)
                arms[a].mc = .nan
                continue
            }
            let (r2, mc) = MemoryCapacity.curve(weights: w, states: arms[a].scored, units: n, delays: kMax,
                                                inputs: testInput, firstInput: firstT - 1)
            arms[a].r2 = r2
            arms[a].mc = mc
        }
    }

    private mutating func record(_ x: [Float]) {
        let col = step % Self.shownSteps, m = shownUnits.count
        for (r, i) in shownUnits.enumerated() { history[col * m + r] = x[i] }
    }

    /// Mean rate of arm `index` (in `arms` order) at this step.
    func meanRate(arm index: Int) -> Double {
        arms[index].x.reduce(0.0) { $0 + Double($1) } / Double(config.units)
    }

    public mutating func measure() -> [Double] {
        let local = arms[4]
        let bal = Double(network.betaBalance)
        let betaMean = local.beta.reduce(0.0) { $0 + Double($1) } / Double(config.units)
        let rate = local.x.reduce(0.0) { $0 + Double($1) } / Double(config.units)
        return arms.map(\.mc) + [bal > 0 ? betaMean / bal : .nan, rate, Double(trial)]
    }

    public func views() -> [String: PanelView] {
        let ks = (1...config.delays).map { Float($0) }
        let memory = TracesView(names: Self.arms.map(\.name), series: arms.map(\.r2), unit: "r2",
                                xs: Array(repeating: ks, count: arms.count), xLabel: "delay k")
        let bal = network.betaBalance
        let beta = HistogramView(binning: arms[4].beta.map { bal > 0 ? $0 / bal : 0 }, lower: 0, upper: 4,
                                 label: "beta_i / beta_bal (local_050)")
        // Heterogeneous arm: mean rate over the scoring rows against the target, sorted by target.
        let het = arms[6]
        let order = het.targets.indices.sorted { het.targets[$0] < het.targets[$1] }
        let rows = Double(max(1, het.scored.count / config.units))
        let rateSeries = order.map { het.scored.isEmpty ? Float.nan : Float(het.rateSum[$0] / rows) }
        let targetSeries = order.map { het.targets[$0] }
        let rates = TracesView(names: ["mean rate", "target rho_i"], series: [rateSeries, targetSeries], unit: "",
                               xs: [targetSeries, targetSeries], xLabel: "target rho_i")
        // Activity: shown units (rows) x last steps (columns, oldest first).
        let m = shownUnits.count, cols = Self.shownSteps
        var act = [Float](repeating: 0, count: m * cols)
        let filled = min(step, cols)
        for c in 0..<filled {
            let s = step - filled + c
            let src = (s % cols) * m
            for r in 0..<m { act[r * cols + (cols - filled + c)] = history[src + r] }
        }
        return [
            "memory": .traces(memory),
            "beta": .histogram(beta),
            "rates": .traces(rates),
            "activity": .heatmap(HeatmapView(rows: m, cols: cols, values: act, scale: .fixed(0, 1))),
        ]
    }

    public func probe() -> [Factor] {
        let a = arms[4]
        return [Factor("rate x_0", Double(a.x[0])), Factor("target rho_0", Double(a.targets[0])),
                Factor("beta_0 / beta_bal", Double(a.beta[0] / max(network.betaBalance, 1e-30))),
                Factor("delta beta_0", Double(lastDeltaBeta))]
    }
}
