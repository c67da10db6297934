/// Homeostatic gain control in a recurrent orientation circuit, after Duong, Bredenberg,
/// Heeger & Simoncelli (arXiv 2305.19869; scene `gain-control`, science page 33). The paper's
/// efficient-coding objective was not available: the gains follow the page's homeostatic rule
/// (`GainRatioHomeostasis`), so decorrelation is not expected.
///
/// Two arms adapt side by side under the same stimulus ensemble and rule: the recurrent
/// circuit (`OrientationCircuit`, Mexican-hat W at spectral radius 0.5) and a feed-forward
/// twin with W = 0. One step = one gain update: steady-state responses r* on a 1° stimulus
/// grid, the ensemble's mean response r̄_i = p r*_i(θ_a) + (1 − p) mean_θ r*_i(θ) (probability
/// p at the adapter θ_a, otherwise uniform; p = 0 for the uniform ensemble), then the rule
/// with references r̄_i^ref (uniform ensemble, g = 1). An update is skipped (and counted)
/// unless every r̄_i > 0 and the spectral radius of G W is below 1.
public struct GainControlSimulation: Simulation {
    public struct Config: Sendable {
        public var units: Int
        public var radius: Double
        public var biased: Bool
        public var adapterProbability: Double
        public var adapterDegrees: Int
        public var rules: [any GainModulationRule]
        public var start: Int
        public init(units: Int = 24, radius: Double = 0.5, biased: Bool = true, adapterProbability: Double = 0.3,
                    adapterDegrees: Int = 0, rules: [any GainModulationRule] = [GainRatioHomeostasis(), FrozenGain()], start: Int = 0) {
            self.units = units; self.radius = radius; self.biased = biased; self.adapterProbability = adapterProbability
            self.adapterDegrees = adapterDegrees; self.rules = rules; self.start = start
        }
    }

    public static let metricSpecs = [
        MetricSpec("gain_ratio_adapter_orth", "g of the unit tuned to the adapter / g of the orthogonally tuned unit (recurrent)"),
        MetricSpec("gain_ratio_ff", "the same ratio in the feed-forward twin (W = 0)"),
        MetricSpec("response_cv", "SD / mean across units of the ensemble-mean response r̄_i (recurrent; 0 = equalised)"),
        MetricSpec("peak_ratio_adapter", "peak response of the adapter-tuned unit now / at g = 1"),
        MetricSpec("peak_ratio_orth", "peak response of the orthogonal unit now / at g = 1"),
        MetricSpec("peak_shift_deg", unit: "deg", "mean shift of preferred orientation away from the adapter, units within 45° of it (recurrent)"),
        MetricSpec("peak_shift_deg_ff", unit: "deg", "the same in the feed-forward twin (W = 0)"),
        MetricSpec("spectral_radius", "spectral radius of G W (recurrent; must stay below 1)"),
        MetricSpec("skipped", "gain updates skipped because r̄_i <= 0 or rho(G W) >= 1"),
    ]
    public static let viewSpecs = [
        ViewSpec("tuning", "tuning curves of the adapter-tuned and orthogonal units, at g = 1 and now (recurrent)"),
        ViewSpec("gains", "gain g_i against preferred orientation, recurrent and W = 0"),
        ViewSpec("mean_response", "ensemble-mean response r̄_i now and its reference r̄_i^ref (recurrent)"),
        ViewSpec("responses", "steady-state responses r*, units x stimulus orientation (recurrent, 1° grid)"),
    ]
    /// Stimulus grids: 1° for the ensemble, 0.25° for preferred orientations.
    static let coarse = (0..<180).map(Double.init)
    static let fineStep = 0.25
    static let fine = (0..<720).map { Double($0) * fineStep }

    /// One circuit with its gains, references and the tuning at g = 1.
    struct Arm {
        let circuit: OrientationCircuit
        var gains: [Float]
        let reference: [Float]
        let initialCoarse: [Double]
        let initialPreferred: [Double]
        let initialPeak: [Double]
        var lastCoarse: [Double]
    }

    public let config: Config
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public private(set) var rule: any GainModulationRule
    public var dt: Double { 0 }
    public var metricNames: [String] { Self.metricSpecs.map(\.name) }
    public var ruleNames: [String] { config.rules.map(\.name) }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "50 updates", steps: 50) }
    public var ruleEquation: String {
        rule.equation + ";  r* = (I - G W)^-1 G F s;  rbar_i = p r*_i(theta_a) + (1 - p) mean_theta r*_i"
    }

    private var arms: [Arm]
    private var biased: Bool
    private var adapterProbability: Double
    private var adapterDegrees: Int
    private var skipped = 0
    private let responseScale: Float

    public init(config: Config, seed: UInt64) {
        precondition(config.rules.indices.contains(config.start) && config.units >= 4)
        self.config = config
        activeRule = config.start
        rule = config.rules[config.start]
        biased = config.biased
        adapterProbability = config.adapterProbability
        adapterDegrees = config.adapterDegrees
        let n = config.units
        arms = [config.radius, 0].map { radius in
            let c = OrientationCircuit(size: n, radius: radius, recurrent: radius > 0)
            let ones = [Double](repeating: 1, count: n)
            let coarse = c.responses(gains: ones, thetas: Self.coarse) ?? []
            let fine = c.responses(gains: ones, thetas: Self.fine) ?? []
            let reference = (0..<n).map { i in Float(Self.mean(coarse, unit: i, count: Self.coarse.count)) }
            return Arm(circuit: c, gains: [Float](repeating: 1, count: n), reference: reference, initialCoarse: coarse,
                       initialPreferred: Self.preferred(fine, units: n), initialPeak: Self.peaks(fine, units: n), lastCoarse: coarse)
        }
        responseScale = Float(arms[0].initialCoarse.map(abs).max() ?? 1)
    }

    static func mean(_ r: [Double], unit i: Int, count m: Int) -> Double {
        var s = 0.0
        for k in 0..<m { s += r[i * m + k] }
        return s / Double(m)
    }

    static func preferred(_ fine: [Double], units n: Int) -> [Double] {
        let m = fine.count / max(1, n)
        return (0..<n).map { OrientationCircuit.peak(Array(fine[($0 * m)..<(($0 + 1) * m)]), step: fineStep) }
    }

    static func peaks(_ fine: [Double], units n: Int) -> [Double] {
        let m = fine.count / max(1, n)
        return (0..<n).map { fine[($0 * m)..<(($0 + 1) * m)].max() ?? .nan }
    }

    /// The ensemble-mean response of every unit from responses on the 1° grid.
    private func ensembleMean(_ coarse: [Double]) -> [Double] {
        let n = config.units, m = Self.coarse.count
        let p = biased ? adapterProbability : 0
        return (0..<n).map { i in p * coarse[i * m + adapterDegrees] + (1 - p) * Self.mean(coarse, unit: i, count: m) }
    }

    /// Index of the unit whose preferred orientation is nearest `degrees`.
    private func unit(nearest degrees: Double) -> Int {
        let c = arms[0].circuit
        return c.preferred.indices.min { abs(OrientationCircuit.orientationDifference(c.preferred[$0], degrees))
            < abs(OrientationCircuit.orientationDifference(c.preferred[$1], degrees)) } ?? 0
    }

    public var controls: [Control] {
        [Control(name: "ensemble", value: biased ? 1 : 0, range: 0...1, step: 1, labels: ["uniform", "biased"]),
         Control(name: "adapter_prob", value: adapterProbability, range: 0.05...0.9, step: 0.05),
         Control(name: "adapter_deg", value: Double(adapterDegrees), range: 0...179, step: 1)]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "ensemble": biased = value >= 0.5
        case "adapter_prob": adapterProbability = value
        default: adapterDegrees = Int(value.rounded())
        }
        return nil
    }

    /// Switches the rule; the gains are kept.
    public mutating func selectRule(_ index: Int) {
        guard config.rules.indices.contains(index) else { return }
        activeRule = index
        rule = config.rules[index]
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            for a in arms.indices {
                let g = arms[a].gains.map(Double.init)
                guard let coarse = arms[a].circuit.responses(gains: g, thetas: Self.coarse) else { skipped += 1; continue }
                arms[a].lastCoarse = coarse
                let rbar = ensembleMean(coarse)
                guard rbar.allSatisfy({ $0 > 0 }), arms[a].circuit.spectralRadius(gains: g) < 1 else { skipped += 1; continue }
                rule.adapt(&arms[a].gains, activity: rbar.map(Float.init), reference: arms[a].reference)
            }
            step += 1
        }
    }

    /// Mean signed shift of preferred orientation away from the adapter, over units tuned
    /// within (0°, 45°) of it.
    private func shift(_ arm: Arm) -> Double {
        let g = arm.gains.map(Double.init)
        guard let fine = arm.circuit.responses(gains: g, thetas: Self.fine) else { return .nan }
        let now = Self.preferred(fine, units: config.units)
        let theta = Double(adapterDegrees)
        var sum = 0.0, count = 0
        for i in 0..<config.units {
            let d0 = OrientationCircuit.orientationDifference(arm.initialPreferred[i], theta)
            guard abs(d0) > 1e-9, abs(d0) < 45 else { continue }
            let move = OrientationCircuit.orientationDifference(now[i], arm.initialPreferred[i])
            sum += d0 > 0 ? move : -move
            count += 1
        }
        return count > 0 ? sum / Double(count) : .nan
    }

    public mutating func measure() -> [Double] {
        let rec = arms[0], ff = arms[1]
        let a = unit(nearest: Double(adapterDegrees)), o = unit(nearest: Double(adapterDegrees) + 90)
        let g = rec.gains.map(Double.init)
        let coarse = rec.circuit.responses(gains: g, thetas: Self.coarse) ?? rec.lastCoarse
        let rbar = ensembleMean(coarse)
        let mu = rbar.reduce(0, +) / Double(rbar.count)
        let sd = (rbar.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(rbar.count)).squareRoot()
        let m = Self.coarse.count
        func peak(_ i: Int) -> Double { (0..<m).map { coarse[i * m + $0] }.max() ?? .nan }
        // Peaks on the 1° grid against the initial peaks on the 0.25° grid differ by < 0.1 %.
        return [Double(rec.gains[a] / rec.gains[o]), Double(ff.gains[a] / ff.gains[o]), mu != 0 ? sd / abs(mu) : .nan,
                peak(a) / rec.initialPeak[a], peak(o) / rec.initialPeak[o], shift(rec), shift(ff),
                rec.circuit.spectralRadius(gains: g), Double(skipped)]
    }

    public func views() -> [String: PanelView] {
        let rec = arms[0], n = config.units, m = Self.coarse.count
        let a = unit(nearest: Double(adapterDegrees)), o = unit(nearest: Double(adapterDegrees) + 90)
        func curve(_ r: [Double], _ i: Int) -> [Float] { (0..<m).map { Float(r[i * m + $0]) } }
        let xs = Self.coarse.map(Float.init)
        let tuning = TracesView(names: ["adapter unit g=1", "adapter unit now", "orth unit g=1", "orth unit now"],
                                series: [curve(rec.initialCoarse, a), curve(rec.lastCoarse, a), curve(rec.initialCoarse, o), curve(rec.lastCoarse, o)],
                                unit: "", xs: Array(repeating: xs, count: 4), xLabel: "stimulus deg")
        let phi = rec.circuit.preferred.map(Float.init)
        let gains = TracesView(names: ["g recurrent", "g W=0"], series: [rec.gains, arms[1].gains], unit: "",
                               xs: [phi, phi], xLabel: "preferred deg")
        let rbar = ensembleMean(rec.lastCoarse).map(Float.init)
        let mean = TracesView(names: ["rbar now", "rbar ref"], series: [rbar, rec.reference], unit: "", xs: [phi, phi], xLabel: "preferred deg")
        return [
            "tuning": .traces(tuning),
            "gains": .traces(gains),
            "mean_response": .traces(mean),
            "responses": .heatmap(HeatmapView(rows: n, cols: m, values: rec.lastCoarse.map(Float.init), scale: .symmetric(responseScale))),
        ]
    }

    public func probe() -> [Factor] {
        let rec = arms[0]
        let a = unit(nearest: Double(adapterDegrees))
        let rbar = ensembleMean(rec.lastCoarse)
        return [Factor("rbar_a", rbar[a]), Factor("rbar_ref_a", Double(rec.reference[a])), Factor("g_a", Double(rec.gains[a]))]
    }
}
