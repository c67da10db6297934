import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An E/I reservoir predicting its own input k steps ahead with an online RLS readout, with
/// switchable homeostatic plasticity (scene `reservoir-ei`). One step = one input sample.
///
/// Input u(t): the Mackey-Glass series (tau = 17, sampled once per time unit) or a sum of
/// sines, normalised to zero mean and unit variance. Target: u(t + k). Readout z = [r; 1].
///
/// Rules (`ReservoirRules`; all keep the readout learning): `none` (`FixedReservoir`),
/// `homeostatic` (synaptic scaling by flow control, `FlowControl`, driving the spectral radius
/// of the effective recurrent Jacobian M = G diag(a) W diag(phi'(x)) toward R_t) and
/// `intrinsic` (threshold intrinsic plasticity, `ReservoirIntrinsicPlasticity`).
///
/// Metrics: `nrmse` (sqrt of sum (y - u(t+k))^2 / sum (u(t+k) - mean)^2 over the last `window`
/// a-priori predictions), `rate_mean` and `rate_sd` (mean and SD of all r_i(t) over units and
/// the steps since the last measurement), `ei_balance` (sum_i E_i / sum_i |I_i| of recurrent
/// inputs at the measurement), `spectral_radius` (rho(M) at the current state by power
/// iteration, `EIReservoir.jacobianRadius`), `gain_mean` (mean a_i), `lyapunov` (largest
/// conditional Lyapunov exponent per step, the mean log growth of a tangent vector propagated
/// through the local Jacobian (1 - l) I + l M over the steps since the last measurement:
/// > 0 chaotic, < 0 the state is a fading function of the input, i.e. the echo-state property).
public struct ReservoirSimulation: Simulation {
    public enum Input: Sendable, Equatable {
        /// Mackey-Glass with delay tau (time units), Euler step dt, `substeps` per sample.
        case mackeyGlass(tau: Double, dt: Double, substeps: Int)
        /// sum_k sin(2 pi t / T_k), periods T_k in steps.
        case sines(periods: [Double])
    }

    public struct Config: Sendable {
        public var units: Int
        public var excitatoryFraction: Double
        public var radius: Double
        public var gain: Double
        public var inputScale: Double
        public var bias: Double
        public var leak: Double
        public var horizon: Int
        public var forgetting: Double
        public var delta: Double
        public var input: Input
        public var window: Int
        /// Switchable rules (each with its own parameters); `start` indexes it.
        public var rules: [any ReservoirLearningRule]
        public var start: Int
        /// Defaults: every rule of `ReservoirRules` at its defaults, starting with `homeostatic`.
        public init(units: Int = 400, excitatoryFraction: Double = 0.8, radius: Double = 6, gain: Double = 1,
                    inputScale: Double = 0.5, bias: Double = 0, leak: Double = 0.3, horizon: Int = 30,
                    forgetting: Double = 0.9995, delta: Double = 0.01, input: Input = .mackeyGlass(tau: 17, dt: 0.1, substeps: 10),
                    window: Int = 2000, rules: [any ReservoirLearningRule] = [FixedReservoir(), FlowControl(), ReservoirIntrinsicPlasticity()],
                    start: Int = 1) {
            self.units = units; self.excitatoryFraction = excitatoryFraction; self.radius = radius; self.gain = gain
            self.inputScale = inputScale; self.bias = bias; self.leak = leak; self.horizon = horizon
            self.forgetting = forgetting; self.delta = delta; self.input = input; self.window = window
            self.rules = rules; self.start = start
        }
    }
    /// Bounds of the unit gains a_i.
    public static let gainRange: ClosedRange<Float> = 0.01...10
    /// Units shown in the activity view and time steps it spans.
    static let shownUnits = 64
    static let shownSteps = 200

    public let config: Config
    public private(set) var reservoir: EIReservoir
    public private(set) var readout: RLSReadout
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public var dt: Double { 0 }
    public let metricNames = ["nrmse", "rate_mean", "rate_sd", "ei_balance", "spectral_radius", "gain_mean", "lyapunov"]
    public var ruleNames: [String] { config.rules.map(\.name) }
    /// The active rule, with its state (running means).
    public private(set) var rule: any ReservoirLearningRule
    public var bigStep: StepUnit { StepUnit(name: "window", steps: config.window) }
    public let viewNames = ["activity", "traces", "weights", "spectrum"]

    private var series: MackeyGlass
    /// Upcoming inputs u(t) ... u(t + k) (normalised).
    private var future: RingBuffer<Float>
    private var z: [Float]
    private var errors: RingBuffer<Float>
    private var targets: RingBuffer<Float>
    private var predictions: RingBuffer<Float>
    /// Recent rates of the shown units: `shownSteps` rows of `shownUnits` in a circular flat
    /// buffer; row `historyHead` is the next to be written, `historyCount` rows are filled.
    private var history: [Float]
    private var historyHead = 0
    private var historyCount = 0
    /// Tangent vector for the largest Lyapunov exponent, and work buffers.
    private var tangent: [Float]
    private var tangentScratch: [Float]
    private var tangentProduct: [Float]
    private var logGrowth = 0.0, growthSteps = 0
    private var rateSum = 0.0, rateSq = 0.0, rateCount = 0
    private let probeStart: [Float]
    private var lastRadius = 0.0
    private var lastSingular: [Double] = []
    private var seriesStep = 0
    /// Probed synapse: from the first I unit onto unit 0 (E).
    private let probePost = 0
    private var probePre: Int { reservoir.excitatory }
    private var lastDeltaGain: Float = 0
    private var lastFlow: Float = 0
    private let weightScale: Float

    public init(config: Config, seed: UInt64) {
        precondition(config.rules.indices.contains(config.start) && config.horizon >= 1 && config.window >= 2)
        self.config = config
        let root = RNG(seed: seed)
        var wr = root.stream("weights")
        reservoir = EIReservoir(size: config.units, excitatoryFraction: config.excitatoryFraction, radius: Float(config.radius),
                                inputScale: Float(config.inputScale), bias: Float(config.bias), leak: Float(config.leak), rng: &wr)
        reservoir.globalGain = Float(config.gain)
        readout = RLSReadout(size: config.units + 1, delta: config.delta, forgetting: config.forgetting)
        activeRule = config.start
        rule = config.rules[config.start]
        var tr = root.stream("task")
        series = MackeyGlass(tau: 17, dt: 0.1, substeps: 10, initial: 1.2)
        if case .mackeyGlass(let tau, let dt, let sub) = config.input {
            series = MackeyGlass(tau: tau, dt: dt, substeps: sub, initial: Double(tr.uniform(1.0, 1.4)))
            // Discard the transient from the constant history.
            for _ in 0..<500 { _ = series.next() }
        }
        future = RingBuffer(capacity: config.horizon + 1)
        z = [Float](repeating: 1, count: config.units + 1)
        errors = RingBuffer(capacity: config.window)
        targets = RingBuffer(capacity: config.window)
        predictions = RingBuffer(capacity: Self.shownSteps)
        history = [Float](repeating: 0, count: Self.shownSteps * Self.shownUnits)
        var pr = root.stream("probe")
        probeStart = (0..<config.units).map { _ in pr.normal() }
        let startNorm = probeStart.reduce(0) { $0 + $1 * $1 }.squareRoot()
        tangent = probeStart.map { $0 / max(startNorm, 1e-30) }
        tangentScratch = tangent
        tangentProduct = tangent
        var maxI: Float = 0
        for i in 0..<config.units { for j in reservoir.excitatory..<config.units { maxI = max(maxI, -reservoir.w[i, j]) } }
        weightScale = max(1e-3, maxI * Float(config.gain) * 0.5)
        for _ in 0...config.horizon { future.append(nextInput()) }
        rule.bind(reservoir)
    }

    /// Mean and SD used to normalise the Mackey-Glass series (its long-run statistics at
    /// tau = 17: mean ~0.92, SD ~0.23).
    static let mgMean = 0.92, mgSD = 0.23

    private mutating func nextInput() -> Float {
        defer { seriesStep += 1 }
        switch config.input {
        case .mackeyGlass:
            return Float((series.next() - Self.mgMean) / Self.mgSD)
        case .sines(let periods):
            var s = 0.0
            for p in periods { s += sin(2 * Double.pi * Double(seriesStep) / p) }
            return Float(s / (Double(periods.count) / 2).squareRoot())
        }
    }

    public var ruleEquation: String { rule.equation }

    public var controls: [Control] {
        [Control(name: "gain", value: Double(reservoir.globalGain), range: 0...4, step: 0.05)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        guard name == "gain" else { return "unknown control '\(name)'" }
        guard value >= 0, value <= 4 else { return "gain: expected a number in [0, 4], got \(value)" }
        reservoir.globalGain = Float(value)
        return nil
    }

    /// Resets the rule's own state (running means); a_i, b_i, W and the readout are kept.
    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        rule = config.rules[index]
        rule.bind(reservoir)
        lastDeltaGain = 0
        lastFlow = 0
    }

    public mutating func advance(_ steps: Int) {
        let n = config.units
        let shown = min(n, Self.shownUnits)
        for _ in 0..<max(0, steps) {
            let u = future[0]
            let growth = reservoir.propagateTangent(&tangent, scratch: &tangentScratch, product: &tangentProduct)
            if growth > 0, growth.isFinite {
                logGrowth += Double(log(growth))
                growthSteps += 1
                let inv = 1 / growth
                for i in 0..<n { tangent[i] *= inv }
            } else {
                for i in 0..<n { tangent[i] = probeStart[i] / Float(n).squareRoot() }
            }
            reservoir.step(input: u)
            let target = future[config.horizon]
            for i in 0..<n { z[i] = reservoir.rates[i] }
            let y = readout.train(z, target: Double(target))
            errors.append(Float(y) - target)
            targets.append(target)
            predictions.append(Float(y))
            let base = historyHead * Self.shownUnits
            for i in 0..<shown { history[base + i] = reservoir.rates[i] }
            historyHead = historyHead + 1 == Self.shownSteps ? 0 : historyHead + 1
            historyCount = min(historyCount + 1, Self.shownSteps)
            for i in 0..<n {
                let r = Double(reservoir.rates[i])
                rateSum += r
                rateSq += r * r
            }
            rateCount += n
            (lastDeltaGain, lastFlow) = rule.adapt(&reservoir, probe: probePost)
            future.append(nextInput())
            step += 1
        }
    }

    public mutating func measure() -> [Double] {
        var se = 0.0, mean = 0.0
        for t in targets { mean += Double(t) }
        mean /= Double(max(1, targets.count))
        var variance = 0.0
        for k in 0..<errors.count {
            se += Double(errors[k]) * Double(errors[k])
            let d = Double(targets[k]) - mean
            variance += d * d
        }
        let nrmse = targets.count > 1 && variance > 0 ? (se / variance).squareRoot() : 1
        var rMean = 0.0, rSD = 0.0
        if rateCount > 0 {
            rMean = rateSum / Double(rateCount)
            rSD = max(0, rateSq / Double(rateCount) - rMean * rMean).squareRoot()
        } else {
            rMean = reservoir.rates.reduce(0.0) { $0 + Double($1) } / Double(config.units)
        }
        rateSum = 0; rateSq = 0; rateCount = 0
        var eSum = 0.0, iSum = 0.0
        for i in 0..<config.units {
            let c = reservoir.currents(i)
            eSum += Double(c.e)
            iSum += Double(-c.i)
        }
        lastRadius = reservoir.jacobianRadius(start: probeStart)
        lastSingular = reservoir.singularValues()
        let gainMean = reservoir.gains.reduce(0.0) { $0 + Double($1) } / Double(config.units)
        let lyapunov = growthSteps > 0 ? logGrowth / Double(growthSteps) : 0
        logGrowth = 0; growthSteps = 0
        return [nrmse, rMean, rSD, iSum > 0 ? eSum / iSum : 0, lastRadius, gainMean, lyapunov]
    }

    public func views() -> [String: PanelView] {
        let n = config.units
        // Activity: shown units (rows) x recent steps (columns), rates in [0, 1].
        let units = min(n, Self.shownUnits), cols = Self.shownSteps
        var act = [Float](repeating: 0, count: units * cols)
        let offset = cols - historyCount
        // Oldest filled row: historyHead once the buffer has wrapped, else row 0.
        let oldest = historyCount == cols ? historyHead : 0
        for t in 0..<historyCount {
            let row = ((oldest + t) % cols) * Self.shownUnits
            for i in 0..<units { act[i * cols + offset + t] = history[row + i] }
        }
        // Weights: rows 0..<48 (E) and the first 16 I units; columns likewise.
        let pick = Self.blockIndices(n: n, excitatory: reservoir.excitatory)
        var block = [Float](repeating: 0, count: pick.count * pick.count)
        for (a, i) in pick.enumerated() { for (b, j) in pick.enumerated() { block[a * pick.count + b] = reservoir.effectiveWeight(i, j) } }
        let firstTarget = targets.count - predictions.count
        let traceTargets = (0..<predictions.count).map { targets[firstTarget + $0] }
        let unit0 = (0..<predictions.count).map { act[cols - predictions.count + $0] }
        let names = ["target u(t+k)", "prediction y", "r_0 (E)"]
        let readouts = [Factor("rho(M)", lastRadius), Factor("sigma_max", lastSingular.first ?? 0),
                        Factor("G", Double(reservoir.globalGain))]
        return [
            "activity": .heatmap(HeatmapView(rows: units, cols: cols, values: act, scale: .fixed(0, 1))),
            "traces": .traces(TracesView(names: names, series: [traceTargets, Array(predictions), unit0], unit: "")),
            "weights": .heatmap(HeatmapView(rows: pick.count, cols: pick.count, values: block, scale: .symmetric(weightScale))),
            "spectrum": .spectrum(SpectrumView(eigenvalues: lastSingular, readouts: readouts)),
        ]
    }

    /// Indices of the weight block: up to 48 E units then up to 16 I units.
    static func blockIndices(n: Int, excitatory: Int) -> [Int] {
        Array(0..<min(excitatory, 48)) + Array(excitatory..<min(n, excitatory + 16))
    }

    public func probe() -> [Factor] {
        let i = probePost, j = probePre
        return [Factor("pre r_j (I)", Double(reservoir.rates[j])), Factor("post r_i (E)", Double(reservoir.rates[i])),
                Factor("W_ij", Double(reservoir.w[i, j])), Factor("gain a_i", Double(reservoir.gains[i])),
                Factor("G a_i W_ij", Double(reservoir.effectiveWeight(i, j))),
                Factor("flow R_t^2<dx^2> - dh_i^2", Double(lastFlow)), Factor("delta a_i (or -delta b_i)", Double(lastDeltaGain))]
    }
}
