import SynCore

/// Redundant noisy learners diffusively coupled to each other (Bouvrie & Slotine 2011, Neural
/// Computation, arXiv 1010.4517): scene `sync-learners`. Each learner i = 1 … n follows the
/// gradient of the same quadratic loss f(x) = (λ/2)‖x − x*‖², x ∈ R^d, plus a coupling k
/// through the graph Laplacian L = D − A of a topology, plus noise (Euler–Maruyama with the
/// rule's step η as dt):
///
///     x_i ← x_i − η [λ (x_i − x*) + k (L x)_i] + σ √η ξ_i,   ξ_i ~ N(0, I_d).
///
/// All-to-all coupling includes i itself, (L x)_i = n x_i − Σ_j x_j = n (x_i − x̄). One step =
/// one Euler step; noise is drawn for every one of the `maxLearners`, active or not, so the
/// stream does not depend on the live controls.
///
/// Theory (exact for this linear system, with the discrete-time correction): each mode with
/// rate μ ∈ {λ, λ + k μ_m} (μ_m the nonzero Laplacian eigenvalues) has stationary variance
/// σ² / (μ (2 − μ η)) per dimension, so E‖x̄ − x*‖² = d σ² / (n λ (2 − λ η)),
/// E[(1/n) Σ ‖x_i − x̄‖²] = (d σ² / n) Σ_{m≥2} 1 / (μ'_m (2 − μ'_m η)), μ'_m = λ + k μ_m, and the
/// per-learner error is their sum.
public struct CoupledLearnersSimulation: Simulation {
    public enum Topology: Int, Sendable, CaseIterable {
        case allToAll, ring, star
        public var name: String { ["all_to_all", "ring", "star"][rawValue] }
    }

    public struct Config: Sendable {
        public var learners: Int
        public var maxLearners: Int
        public var dimension: Int
        /// Curvature λ of f.
        public var curvature: Double
        public var coupling: Double
        public var sigma: Double
        public var topology: Topology
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(learners: Int = 10, maxLearners: Int = 30, dimension: Int = 5, curvature: Double = 1, coupling: Double = 0.1,
                    sigma: Double = 1, topology: Topology = .allToAll, rules: [any DynamicsRule], start: Int = 0) {
            self.learners = learners; self.maxLearners = maxLearners; self.dimension = dimension; self.curvature = curvature
            self.coupling = coupling; self.sigma = sigma; self.topology = topology; self.rules = rules; self.start = start
        }
    }

    public static let metricSpecs: [MetricSpec] = [
        MetricSpec("centroid_err", "‖x̄ − x*‖², mean since the last change (after a burn-in of 5/λ)", mayBeUndefined: true),
        MetricSpec("spread", "(1/n) Σ ‖x_i − x̄‖², mean since the last change (after the burn-in)", mayBeUndefined: true),
        MetricSpec("learner_err", "(1/n) Σ ‖x_i − x*‖² = centroid_err + spread, mean since the last change", mayBeUndefined: true),
        MetricSpec("centroid_theory", "d σ² / (n λ (2 − λ η)): the centroid's stationary error"),
        MetricSpec("spread_theory", "(d σ² / n) Σ_m 1 / (μ'_m (2 − μ'_m η)), μ'_m = λ + k μ_m"),
        MetricSpec("learner_theory", "centroid_theory + spread_theory"),
        MetricSpec("spread_theory_ratio", "spread / spread_theory (1 = on the theory line)", mayBeUndefined: true),
        MetricSpec("synchrony", "order parameter 1 − spread / learner_err: 1 = all learners together", mayBeUndefined: true),
    ]
    public static let viewSpecs: [ViewSpec] = [
        ViewSpec("cloud", "the learners' recent trajectories in the (x_1, x_2) plane around x* = 0"),
        ViewSpec("laplacian", "eigenvalues of the coupling graph's Laplacian; λ₂ (algebraic connectivity) sets the slowest spread decay"),
    ]

    public let config: Config
    public let metricNames = CoupledLearnersSimulation.metricSpecs.map(\.name)
    public let viewNames = CoupledLearnersSimulation.viewSpecs.map(\.name)
    public private(set) var step = 0
    public var dt: Double { 0 }
    public private(set) var activeRule: Int
    public var ruleNames: [String] { rules.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "relaxation time 1/λ", steps: max(1, Int((1 / (config.curvature * eta)).rounded()))) }
    public var ruleEquation: String {
        rules[activeRule].equation + ";  grad_i = lambda (x_i - x*) + k (L x)_i, noise sigma sqrt(eta) xi"
    }

    private var rules: [any DynamicsRule]
    private var ruleState: DynamicsRuleState
    /// Positions, maxLearners × d (x* = 0).
    public private(set) var x: [Float]
    private var grad: [Float]
    private var mask: [Float]
    private var noise: RNG
    public private(set) var learners: Int
    public private(set) var coupling: Double
    public private(set) var sigma: Double
    public private(set) var topology: Topology
    private var laplacianEigenvalues: [Double] = []
    /// Sums since the last change: steps counted after the burn-in, and the three errors.
    private var sinceChange = 0
    private var counted = 0
    private var sums = (centroid: 0.0, spread: 0.0, learner: 0.0)
    /// The last `trail` positions (x_1, x_2) of every learner, a ring over steps.
    private let trail = 40
    private var trailX: [Float]
    private var trailY: [Float]

    private var eta: Double { Double(rules[activeRule].eta) }

    public init(config: Config, seed: UInt64) {
        precondition(config.maxLearners >= 1 && (1...config.maxLearners).contains(config.learners) && config.dimension >= 2)
        self.config = config
        let root = RNG(seed: seed)
        var start = root.stream("start")
        let count = config.maxLearners * config.dimension
        x = (0..<count).map { _ in start.normal() }
        grad = [Float](repeating: 0, count: count)
        mask = []
        noise = root.stream("noise")
        learners = config.learners
        coupling = config.coupling
        sigma = config.sigma
        topology = config.topology
        rules = config.rules
        activeRule = config.start
        ruleState = DynamicsRuleState(count: count)
        trailX = [Float](repeating: .nan, count: config.maxLearners * trail)
        trailY = trailX
        changed()
    }

    /// After any change of n, k, σ, the topology or the rule: new Laplacian spectrum, active
    /// mask, and the running means start over.
    private mutating func changed() {
        let n = learners, d = config.dimension
        mask = (0..<x.count).map { $0 < n * d ? 1 : 0 }
        var lap = [Double](repeating: 0, count: n * n)
        for (i, j) in Self.edges(topology, n) {
            lap[i * n + j] -= 1; lap[j * n + i] -= 1
            lap[i * n + i] += 1; lap[j * n + j] += 1
        }
        laplacianEigenvalues = SymmetricEigen.eigenvalues(lap, n: n).sorted()
        sinceChange = 0
        counted = 0
        sums = (0, 0, 0)
    }

    /// Undirected edges of the topology on n nodes (all-to-all: every pair, which gives
    /// (L x)_i = n x_i − Σ_j x_j since the i = j term vanishes).
    static func edges(_ t: Topology, _ n: Int) -> [(Int, Int)] {
        switch t {
        case .allToAll: return (0..<n).flatMap { i in ((i + 1)..<n).map { (i, $0) } }
        case .ring: return n < 2 ? [] : n == 2 ? [(0, 1)] : (0..<n).map { ($0, ($0 + 1) % n) }
        case .star: return (1..<max(1, n)).map { (0, $0) }
        }
    }

    public var controls: [Control] {
        [Control(name: "coupling", value: coupling, range: 0...2, step: 0.05),
         Control(name: "learners", value: Double(learners), range: 1...Double(config.maxLearners), step: 1),
         Control(name: "sigma", value: sigma, range: 0.1...3, step: 0.1),
         Control(name: "topology", value: Double(topology.rawValue), range: 0...2, step: 1, labels: Topology.allCases.map(\.name))]
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        switch name {
        case "coupling": coupling = value
        case "sigma": sigma = value
        case "learners":
            guard value == value.rounded() else { return "learners: expected an integer, got \(value)" }
            learners = Int(value)
        case "topology":
            guard let t = Topology(rawValue: Int(value.rounded())) else { return "topology: expected 0, 1 or 2, got \(value)" }
            topology = t
        default: return "unknown control '\(name)'"
        }
        changed()
        return nil
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index), index != activeRule else { return }
        activeRule = index
        ruleState = DynamicsRuleState(count: x.count)
        changed()
    }

    public mutating func advance(_ steps: Int) {
        let d = config.dimension, n = learners, lam = Float(config.curvature), k = Float(coupling)
        let edges = Self.edges(topology, n)
        let burnIn = Int((5 / (config.curvature * eta)).rounded(.up))
        for _ in 0..<max(0, steps) {
            for i in 0..<(n * d) { grad[i] = lam * x[i] }
            if topology == .allToAll {
                // k (L x)_i = k n (x_i − x̄).
                for c in 0..<d {
                    var s: Float = 0
                    for i in 0..<n { s += x[i * d + c] }
                    let mean = s / Float(n)
                    for i in 0..<n { grad[i * d + c] += k * Float(n) * (x[i * d + c] - mean) }
                }
            } else {
                for (i, j) in edges {
                    for c in 0..<d {
                        let diff = k * (x[i * d + c] - x[j * d + c])
                        grad[i * d + c] += diff
                        grad[j * d + c] -= diff
                    }
                }
            }
            rules[activeRule].update(&x, gradient: grad, mask: mask, state: &ruleState)
            let amp = Float(sigma * eta.squareRoot())
            for i in 0..<x.count {
                let xi = noise.normal()
                if i < n * d { x[i] += amp * xi }
            }
            let slot = step % trail
            for i in 0..<config.maxLearners {
                trailX[i * trail + slot] = i < n ? x[i * d] : .nan
                trailY[i * trail + slot] = i < n ? x[i * d + 1] : .nan
            }
            step += 1
            sinceChange += 1
            if sinceChange > burnIn {
                let e = errors()
                sums.centroid += e.centroid
                sums.spread += e.spread
                sums.learner += e.centroid + e.spread
                counted += 1
            }
        }
    }

    /// ‖x̄ − x*‖² and (1/n) Σ ‖x_i − x̄‖² now.
    private func errors() -> (centroid: Double, spread: Double) {
        let d = config.dimension, n = learners
        var centroid = 0.0, spread = 0.0
        for c in 0..<d {
            var s = 0.0
            for i in 0..<n { s += Double(x[i * d + c]) }
            let mean = s / Double(n)
            centroid += mean * mean
            for i in 0..<n { let e = Double(x[i * d + c]) - mean; spread += e * e }
        }
        return (centroid, spread / Double(n))
    }

    /// The theory's (centroid, spread) stationary errors for the current settings.
    public var theory: (centroid: Double, spread: Double) {
        let d = Double(config.dimension), n = Double(learners), lam = config.curvature, s2 = sigma * sigma, h = eta
        let centroid = d * s2 / (n * lam * (2 - lam * h))
        let spread = laplacianEigenvalues.dropFirst().reduce(0.0) { acc, mu in
            let m = lam + coupling * mu
            return acc + 1 / (m * (2 - m * h))
        } * d * s2 / n
        return (centroid, spread)
    }

    public mutating func measure() -> [Double] {
        let t = theory
        guard counted > 0 else { return [.nan, .nan, .nan, t.centroid, t.spread, t.centroid + t.spread, .nan, .nan] }
        let c = Double(counted)
        let centroid = sums.centroid / c, spread = sums.spread / c, learner = sums.learner / c
        return [centroid, spread, learner, t.centroid, t.spread, t.centroid + t.spread,
                t.spread > 0 ? spread / t.spread : .nan, learner > 0 ? 1 - spread / learner : .nan]
    }

    public func views() -> [String: PanelView] {
        let n = learners
        let start = step % trail
        var xs: [[Float]] = [], ys: [[Float]] = [], names: [String] = []
        for i in 0..<n {
            let order = (0..<trail).map { (start + $0) % trail }
            xs.append(order.map { trailX[i * trail + $0] })
            ys.append(order.map { trailY[i * trail + $0] })
            names.append("\(i + 1)")
        }
        let l2 = laplacianEigenvalues.count > 1 ? laplacianEigenvalues[1] : 0
        return [
            "cloud": .traces(TracesView(names: names, series: ys, unit: "x_2", xs: xs, xLabel: "x_1")),
            "laplacian": .spectrum(SpectrumView(eigenvalues: laplacianEigenvalues,
                                                readouts: [Factor("lambda_2", l2), Factor("k", coupling), Factor("n", Double(n))])),
        ]
    }

    public func probe() -> [Factor] {
        let d = config.dimension
        return [Factor("x_1,1", Double(x[0])), Factor("grad_1,1", Double(grad[0])), Factor("k", coupling),
                Factor("sigma sqrt(eta)", sigma * eta.squareRoot()), Factor("learners", Double(learners)),
                Factor("x_1,2", Double(x[min(1, d - 1)]))]
    }
}
