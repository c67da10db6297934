import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Physics hard constraints with a mixture of experts on a 1-D Poisson problem (scene
/// `hard-constraints`, science page 42; Chalapathi, Du & Krishnapriyan, ICLR 2024, with the
/// page's linear toy): u″ = f on [0, 1], u(0) = u(1) = 0, f = Σ_{j≤3} a_j sin(jπx),
/// a ~ U(−1, 1)³, exact u = −Σ a_j sin(jπx) / (jπ)². A tanh network f_θ(x, a) gives N basis
/// values b(x) (`BasisNetwork`) and u(x) = b(x) · ω. Four arms, each its own network, trained
/// side by side on the same instances and points by the selected optimiser:
///
/// - `soft`: ω a trainable vector, loss = mean residual² on all points + u(0)² + u(1)²;
/// - `global`: one hard solve (`ConstrainedSolve`) over all constraint points with N unknowns;
/// - `global_kn`: the same with the experts' total freedom, K₀·N unknowns;
/// - `experts`: K subdomains, each solving its own N weights on its own points (end experts
///   add the boundary rows), differentiated locally; loss = residual² at fresh points of each
///   subdomain + the squared jumps of u and u′ across each seam (without it interior experts
///   drift by an affine part).
///
/// Boundary rows are weighted by √(rows) so they count like the interior rows together (design).
public struct HardConstraintSimulation: Simulation {
    public struct Config: Sendable {
        public var hidden: Int
        /// N basis outputs.
        public var basis: Int
        /// K experts (live) and K₀ = the initial K, which sizes the `global_kn` arm.
        public var experts: Int
        /// Constraint points and loss points per expert (fresh each step).
        public var points: Int
        public var lossPoints: Int
        public var delta: Double
        public var rules: [any DynamicsRule]
        public var start: Int
        public init(hidden: Int = 32, basis: Int = 16, experts: Int = 4, points: Int = 32, lossPoints: Int = 16, delta: Double = 1e-6,
                    rules: [any DynamicsRule], start: Int = 0) {
            self.hidden = hidden; self.basis = basis; self.experts = experts; self.points = points; self.lossPoints = lossPoints
            self.delta = delta; self.rules = rules; self.start = start
        }
    }

    public static let armNames = ["soft", "global", "global_kn", "experts"]
    public static let metricSpecs: [MetricSpec] =
        armNames.map { MetricSpec("constraint_residual_\($0)", "RMS of u'' - f at the test constraint points, arm \($0)") }
        + armNames.map { MetricSpec("l2_error_\($0)", "relative L2 error of u against the exact solution on a 64-point grid, arm \($0)") }
        + [MetricSpec("seam_jump", "mean |u_k - u_k+1| at the seams of the experts arm (0 with one expert)"),
           MetricSpec("loss", "training loss of the experts arm at the last step (residual² + seam terms)", mayBeUndefined: true),
           MetricSpec("solve_kops_global", unit: "kop", "operations of the global solve (forward + backward) per instance, N unknowns"),
           MetricSpec("solve_kops_global_kn", unit: "kop", "operations of the global solve with K0 N unknowns"),
           MetricSpec("solve_kops_experts", unit: "kop", "operations of the K expert solves (serial sum)")]
    public static let viewSpecs = [
        ViewSpec("solution", "u(x) of the first test instance: exact and the four arms, expert seams marked"),
        ViewSpec("residual", "|u'' - f| along x for each arm (first test instance)"),
        ViewSpec("solve_cost", "solve operations per instance vs constraint points per expert: global N, global K0 N, K experts"),
    ]

    public let config: Config
    public private(set) var step = 0
    public private(set) var activeRule: Int
    public var dt: Double { 0 }
    public var metricNames: [String] { Self.metricSpecs.map(\.name) }
    public var ruleNames: [String] { rules.map(\.name) }
    public var viewNames: [String] { Self.viewSpecs.map(\.name) }
    public var bigStep: StepUnit { StepUnit(name: "100 instances", steps: 100) }
    public var ruleEquation: String {
        rules[activeRule].equation + ";  hard: omega_k = (A_k^T A_k + delta I)^-1 A_k^T c_k, A rows = b''(x), backward by the implicit function theorem"
    }
    public var controls: [Control] {
        [Control(name: "experts", value: Double(experts), range: 1...8, step: 1),
         Control(name: "points", value: Double(points), range: 8...512, step: 8)]
    }

    private var rules: [any DynamicsRule]
    private var nets: [BasisNetwork]
    public private(set) var thetas: [[Float]]
    private var states: [DynamicsRuleState]
    private var taskRNG: RNG
    private let testTasks: [[Double]]
    private var experts: Int
    private var points: Int
    private var lastLoss = Double.nan
    static let grid = 64

    public init(config: Config, seed: UInt64) {
        precondition(config.experts >= 1 && config.points >= 1 && config.lossPoints >= 1 && config.rules.indices.contains(config.start))
        self.config = config
        rules = config.rules
        activeRule = config.start
        let root = RNG(seed: seed)
        var initRNG = root.stream("init")
        let widths = [config.basis, config.basis, config.experts * config.basis, config.basis]
        nets = widths.map { BasisNetwork(inputs: 4, hidden: config.hidden, basis: $0) }
        var thetas = nets.map { $0.initialParameters(rng: &initRNG) }
        thetas[0] += (0..<config.basis).map { _ in initRNG.normal() / Float(config.basis).squareRoot() }
        self.thetas = thetas
        states = thetas.map { DynamicsRuleState(count: $0.count) }
        taskRNG = root.stream("tasks")
        var testRNG = root.stream("test")
        testTasks = (0..<3).map { _ in (0..<3).map { _ in Double(testRNG.uniform(-1, 1)) } }
        experts = config.experts
        points = config.points
    }

    // MARK: The problem

    static func source(_ a: [Double], _ x: Double) -> Double {
        (0..<3).reduce(0.0) { $0 + a[$1] * sin(Double($1 + 1) * .pi * x) }
    }

    static func exact(_ a: [Double], _ x: Double) -> Double {
        (0..<3).reduce(0.0) { s, j in let k = Double(j + 1) * .pi; return s - a[j] * sin(k * x) / (k * k) }
    }

    /// Network inputs (x, a₁, a₂, a₃) for the points xs.
    static func inputs(_ xs: [Double], _ a: [Double]) -> [Float] {
        xs.flatMap { [Float($0), Float(a[0]), Float(a[1]), Float(a[2])] }
    }

    /// Points of one instance, per subdomain k of K equal subintervals.
    struct Points {
        var constraint: [[Double]]
        var loss: [[Double]]
    }

    // MARK: One arm's pass

    /// What a pass of one arm produces: its loss, the gradient, the weights per subdomain and
    /// the constraint residuals.
    struct Pass {
        var loss = 0.0
        var gradient: [Float] = []
        var omegas: [[Double]] = []
        var residuals: [Double] = []
    }

    /// A hard-constraint arm on `parts` subdomains (the points of `pts` pooled into `parts`
    /// groups), m unknowns per solve; with `needGradient` false only the solve is done.
    mutating func hardPass(_ arm: Int, _ pts: Points, _ a: [Double], parts: Int, needGradient: Bool) -> Pass {
        let k0 = pts.constraint.count
        let groupC: [[Double]] = parts == k0 ? pts.constraint : [pts.constraint.flatMap { $0 }]
        let groupL: [[Double]] = parts == k0 ? pts.loss : [pts.loss.flatMap { $0 }]
        let kk = groupC.count
        let seams = (1..<max(1, kk)).map { Double($0) / Double(kk) }
        let xs = groupC.flatMap { $0 } + groupL.flatMap { $0 } + [0, 1] + seams
        let p = xs.count
        let out = nets[arm].forward(thetas[arm], inputs: Self.inputs(xs, a), count: p)
        let m = nets[arm].layout.outputs
        func row(_ ch: Int, _ i: Int) -> ArraySlice<Float> { out[((ch * p + i) * m)..<((ch * p + i + 1) * m)] }
        var g = [Float](repeating: 0, count: 3 * p * m)
        var pass = Pass()
        var solves: [ConstrainedSolve] = []
        var offsets: [Int] = []
        var o = 0
        for k in 0..<kk {
            offsets.append(o)
            let n = groupC[k].count
            var aRows: [Double] = [], c: [Double] = []
            for i in 0..<n { aRows += row(2, o + i).map(Double.init); c.append(Self.source(a, groupC[k][i])) }
            let w = Double(n).squareRoot()
            let boundaries = (k == 0 ? [0] : []) + (k == kk - 1 ? [1] : [])
            let bIndex = groupC.reduce(0) { $0 + $1.count } + groupL.reduce(0) { $0 + $1.count }
            for b in boundaries { aRows += row(0, bIndex + b).map { Double($0) * w }; c.append(0) }
            let s = ConstrainedSolve(a: aRows, c: c, unknowns: m, delta: config.delta)
            pass.residuals += s.residuals.prefix(n)
            pass.omegas.append(s.omega)
            solves.append(s)
            o += n
        }
        guard needGradient else { return pass }
        var gOmega = [[Double]](repeating: [Double](repeating: 0, count: m), count: kk)
        let nl = groupL.reduce(0) { $0 + $1.count }
        var li = groupC.reduce(0) { $0 + $1.count }
        for k in 0..<kk {
            for x in groupL[k] {
                let b2 = row(2, li), om = pass.omegas[k]
                var r = -Self.source(a, x)
                for q in 0..<m { r += Double(b2[b2.startIndex + q]) * om[q] }
                pass.loss += r * r / Double(nl)
                let f = 2 * r / Double(nl)
                for q in 0..<m {
                    g[(2 * p + li) * m + q] += Float(f * om[q])
                    gOmega[k][q] += f * Double(b2[b2.startIndex + q])
                }
                li += 1
            }
        }
        let sBase = li + 2
        for (si, _) in seams.enumerated() {
            let (l, r) = (si, si + 1)
            for ch in 0..<2 {
                let b = row(ch, sBase + si)
                var d = 0.0
                for q in 0..<m { d += Double(b[b.startIndex + q]) * (pass.omegas[l][q] - pass.omegas[r][q]) }
                pass.loss += d * d
                for q in 0..<m {
                    g[(ch * p + sBase + si) * m + q] += Float(2 * d * (pass.omegas[l][q] - pass.omegas[r][q]))
                    gOmega[l][q] += 2 * d * Double(b[b.startIndex + q])
                    gOmega[r][q] -= 2 * d * Double(b[b.startIndex + q])
                }
            }
        }
        let bIndex = sBase - 2
        for k in 0..<kk {
            let gA = solves[k].backward(gOmega[k])
            let n = groupC[k].count
            for i in 0..<n { for q in 0..<m { g[(2 * p + offsets[k] + i) * m + q] += Float(gA[i * m + q]) } }
            let w = Double(n).squareRoot()
            let boundaries = (k == 0 ? [0] : []) + (k == kk - 1 ? [1] : [])
            for (bi, b) in boundaries.enumerated() {
                for q in 0..<m { g[(bIndex + b) * m + q] += Float(gA[(n + bi) * m + q] * w) }
            }
        }
        pass.gradient = nets[arm].backward(thetas[arm], g)
        return pass
    }

    /// The soft arm: ω trainable (the last N entries of its θ), penalty on every point.
    mutating func softPass(_ pts: Points, _ a: [Double], needGradient: Bool) -> Pass {
        let cs = pts.constraint.flatMap { $0 }
        let xs = cs + pts.loss.flatMap { $0 } + [0, 1]
        let p = xs.count, m = config.basis
        let pc = nets[0].layout.paramCount
        let out = nets[0].forward(Array(thetas[0][0..<pc]), inputs: Self.inputs(xs, a), count: p)
        let om = thetas[0][pc..<(pc + m)].map(Double.init)
        var pass = Pass()
        pass.omegas = [om]
        var g = [Float](repeating: 0, count: 3 * p * m)
        var gOmega = [Double](repeating: 0, count: m)
        let np = p - 2
        for i in 0..<np {
            var r = -Self.source(a, xs[i])
            for q in 0..<m { r += Double(out[(2 * p + i) * m + q]) * om[q] }
            if i < cs.count { pass.residuals.append(r) }
            pass.loss += r * r / Double(np)
            let f = 2 * r / Double(np)
            for q in 0..<m {
                g[(2 * p + i) * m + q] = Float(f * om[q])
                gOmega[q] += f * Double(out[(2 * p + i) * m + q])
            }
        }
        for i in np..<p {
            var u = 0.0
            for q in 0..<m { u += Double(out[i * m + q]) * om[q] }
            pass.loss += u * u
            for q in 0..<m {
                g[i * m + q] = Float(2 * u * om[q])
                gOmega[q] += 2 * u * Double(out[i * m + q])
            }
        }
        guard needGradient else { return pass }
        pass.gradient = nets[0].backward(Array(thetas[0][0..<pc]), g) + gOmega.map(Float.init)
        return pass
    }

    /// Constraint and loss points of one instance for K subdomains.
    static func draw(experts k: Int, points n: Int, lossPoints nl: Int, rng: inout RNG) -> Points {
        var pts = Points(constraint: [], loss: [])
        for e in 0..<k {
            let lo = Double(e) / Double(k), w = 1 / Double(k)
            pts.constraint.append((0..<n).map { _ in lo + w * rng.uniformDouble() })
            pts.loss.append((0..<nl).map { _ in lo + w * rng.uniformDouble() })
        }
        return pts
    }

    /// Evenly spaced points (the test set): n per subdomain at the midpoints of n equal cells.
    static func even(experts k: Int, points n: Int) -> Points {
        let sub = (0..<k).map { e in (0..<n).map { (Double(e) + (Double($0) + 0.5) / Double(n)) / Double(k) } }
        return Points(constraint: sub, loss: sub)
    }

    mutating func pass(_ arm: Int, _ pts: Points, _ a: [Double], needGradient: Bool) -> Pass {
        switch arm {
        case 0: return softPass(pts, a, needGradient: needGradient)
        case 3: return hardPass(arm, pts, a, parts: pts.constraint.count, needGradient: needGradient)
        default: return hardPass(arm, pts, a, parts: 1, needGradient: needGradient)
        }
    }

    public mutating func advance(_ steps: Int) {
        for _ in 0..<max(0, steps) {
            let a = (0..<3).map { _ in Double(taskRNG.uniform(-1, 1)) }
            let pts = Self.draw(experts: experts, points: points, lossPoints: config.lossPoints, rng: &taskRNG)
            for arm in 0..<4 {
                let r = pass(arm, pts, a, needGradient: true)
                if arm == 3 { lastLoss = r.loss }
                let mask = [Float](repeating: 1, count: thetas[arm].count)
                rules[activeRule].update(&thetas[arm], gradient: r.gradient, mask: mask, state: &states[arm])
            }
            step += 1
        }
    }

    /// u on the grid for an arm's pass (ω of the subdomain of each grid point).
    mutating func solution(_ arm: Int, _ a: [Double], _ pass: Pass) -> (u: [Double], r: [Double]) {
        let xs = (0..<Self.grid).map { Double($0) / Double(Self.grid - 1) }
        let pc = nets[arm].layout.paramCount
        let out = nets[arm].forward(Array(thetas[arm][0..<pc]), inputs: Self.inputs(xs, a), count: xs.count)
        let m = nets[arm].layout.outputs, k = pass.omegas.count, p = xs.count
        var u: [Double] = [], r: [Double] = []
        for (i, x) in xs.enumerated() {
            let om = pass.omegas[min(k - 1, Int(x * Double(k)))]
            var v = 0.0, d2 = 0.0
            for q in 0..<m { v += Double(out[i * m + q]) * om[q]; d2 += Double(out[(2 * p + i) * m + q]) * om[q] }
            u.append(v)
            r.append(abs(d2 - Self.source(a, x)))
        }
        return (u, r)
    }

    public mutating func measure() -> [Double] {
        var res = [Double](repeating: 0, count: 4), l2 = res, jump = 0.0
        let pts = Self.even(experts: experts, points: points)
        for a in testTasks {
            let xs = (0..<Self.grid).map { Double($0) / Double(Self.grid - 1) }
            let exact = xs.map { Self.exact(a, $0) }
            let norm = exact.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
            for arm in 0..<4 {
                let p = pass(arm, pts, a, needGradient: false)
                res[arm] += (p.residuals.reduce(0.0) { $0 + $1 * $1 } / Double(max(1, p.residuals.count))).squareRoot() / 3
                let u = solution(arm, a, p).u
                l2[arm] += zip(u, exact).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() / max(norm, 1e-12) / 3
                if arm == 3 { jump += seamJump(p, a) / 3 }
            }
        }
        return res + l2 + [jump, lastLoss] + solveOperations(points: points).map { $0 / 1000 }
    }

    /// Mean |u_k − u_{k+1}| at the seams of the experts arm (0 with one expert).
    mutating func seamJump(_ p: Pass, _ a: [Double]) -> Double {
        let k = p.omegas.count
        guard k > 1 else { return 0 }
        let seams = (1..<k).map { Double($0) / Double(k) }
        let pc = nets[3].layout.paramCount
        let out = nets[3].forward(Array(thetas[3][0..<pc]), inputs: Self.inputs(seams, a), count: seams.count)
        let m = nets[3].layout.outputs
        var s = 0.0
        for i in 0..<seams.count {
            var d = 0.0
            for q in 0..<m { d += Double(out[i * m + q]) * (p.omegas[i][q] - p.omegas[i + 1][q]) }
            s += abs(d)
        }
        return s / Double(seams.count)
    }

    /// Solve operations per instance (forward + backward): global N, global K₀N, K experts.
    func solveOperations(points n: Int) -> [Double] {
        let (k, nb, k0) = (experts, config.basis, config.experts)
        return [ConstrainedSolve.operations(rows: k * n + 2, unknowns: nb),
                ConstrainedSolve.operations(rows: k * n + 2, unknowns: k0 * nb),
                Double(k) * ConstrainedSolve.operations(rows: n + 1, unknowns: nb)]
    }

    public mutating func selectRule(_ index: Int) {
        guard rules.indices.contains(index) else { return }
        activeRule = index
        states = thetas.map { DynamicsRuleState(count: $0.count) }
    }

    public mutating func setControl(_ name: String, to value: Double) -> String? {
        if let e = controlError(name, value) { return e }
        if name == "experts" { experts = Int(value.rounded()) } else { points = max(1, Int(value.rounded())) }
        return nil
    }

    public func views() -> [String: PanelView] {
        var copy = self
        let a = testTasks[0]
        let xs = (0..<Self.grid).map { Float($0) / Float(Self.grid - 1) }
        let pts = Self.even(experts: experts, points: points)
        var us: [[Float]] = [xs.map { Float(Self.exact(a, Double($0))) }], rs: [[Float]] = []
        for arm in 0..<4 {
            let p = copy.pass(arm, pts, a, needGradient: false)
            let s = copy.solution(arm, a, p)
            us.append(s.u.map(Float.init))
            rs.append(s.r.map(Float.init))
        }
        let lo = us.flatMap { $0 }.min() ?? -0.1, hi = us.flatMap { $0 }.max() ?? 0.1
        var seamX: [Float] = [], seamY: [Float] = []
        for k in 1..<max(1, experts) {
            let x = Float(k) / Float(experts)
            seamX += [x, x, x]; seamY += [lo, hi, .nan]
        }
        let names = ["exact"] + Self.armNames
        let ns = [8, 16, 32, 64, 128, 256, 512]
        let costs = ns.map { solveOperations(points: $0) }
        return [
            "solution": .traces(TracesView(names: names + ["seams"], series: us + [seamY], unit: "u",
                                           xs: Array(repeating: xs, count: 5) + [seamX], xLabel: "x")),
            "residual": .traces(TracesView(names: Self.armNames, series: rs, unit: "|u''-f|", xs: Array(repeating: xs, count: 4), xLabel: "x")),
            "solve_cost": .traces(TracesView(names: ["global N", "global K0 N", "K experts"],
                                             series: (0..<3).map { i in costs.map { Float(log10($0[i])) } }, unit: "log10 ops",
                                             xs: Array(repeating: ns.map { Float(log2(Double($0))) }, count: 3), xLabel: "log2 points per expert")),
        ]
    }
}
