#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import SynCore
@testable import SynModels

/// The mean-field objective of binary-weight continual learning (`BinaryVariational`) against
/// analytic and brute-force values, and the two-arm simulation of scene `binary-continual`.
@Suite struct BinaryVariationalTests {
    // MARK: readouts

    @Test func generalizationErrorIsArccosOverPi() {
        #expect(BinaryVariational.generalizationError(overlap: 1) == 0)
        #expect(abs(BinaryVariational.generalizationError(overlap: 0) - 0.5) < 1e-15)
        #expect(abs(BinaryVariational.generalizationError(overlap: -1) - 1) < 1e-15)
        #expect(abs(BinaryVariational.generalizationError(overlap: 0.5) - 1.0 / 3) < 1e-15)
        // Rounding noise beyond ±1 is clipped, not NaN.
        #expect(BinaryVariational.generalizationError(overlap: 1 + 1e-12) == 0)
    }

    /// A ±1 student differing from the teacher in k of N signs has R = 1 − 2k/N, and its error rate
    /// on Gaussian inputs is arccos(R)/π (Monte Carlo, 40 000 inputs: standard error ~0.0024).
    @Test func overlapAndErrorMatchAMonteCarloStudent() {
        let n = 200, k = 50
        var rng = RNG(seed: 3)
        let teacher = (0..<n).map { _ in rng.uniform() < 0.5 ? Float(-1) : 1 }
        var student = teacher
        for i in 0..<k { student[i] = -student[i] }
        let r = BinaryVariational.overlap(student.map { $0 * 2.5 }, teacher: teacher)
        #expect(r == 1 - 2 * Double(k) / Double(n))
        var wrong = 0
        let trials = 40_000
        for _ in 0..<trials {
            var a: Float = 0, b: Float = 0
            for i in 0..<n {
                let x = rng.normal()
                a += x * teacher[i]; b += x * student[i]
            }
            if (a < 0) != (b < 0) { wrong += 1 }
        }
        let eps = BinaryVariational.generalizationError(overlap: r)
        #expect(abs(Double(wrong) / Double(trials) - eps) < 0.01)
        // θ_i = 0 (m = 0) counts as no vote.
        #expect(BinaryVariational.overlap([0, 0, 1], teacher: [1, -1, 1]) == 1.0 / 3)
    }

    // MARK: KL

    /// The closed form against Σ_w q(w) log(q(w)/q'(w)) over all 2³ states.
    @Test func klMatchesBruteForceEnumeration() {
        let theta: [Float] = [0.7, -1.3, 0.1], prior: [Float] = [0.2, 0.5, -2.0]
        func q(_ t: [Float], _ w: [Double]) -> Double {
            zip(t, w).reduce(1.0) { $0 * exp(Double($1.0) * $1.1) / (2 * cosh(Double($1.0))) }
        }
        var brute = 0.0
        for s in 0..<8 {
            let w = (0..<3).map { (s >> $0) & 1 == 1 ? 1.0 : -1.0 }
            let p = q(theta, w)
            brute += p * log(p / q(prior, w))
        }
        #expect(abs(BinaryVariational.kl(theta, prior: prior) - brute) < 1e-9)
        #expect(BinaryVariational.kl(theta, prior: theta) == 0)
    }

    /// For small changes KL ≈ Σ (m − m')² / (2 (1 − m'²)): the ratio tends to 1, and a confident
    /// prior (large |θ'|) makes the same field change cost more.
    @Test func klForSmallChangesIsTheQuadraticForm() {
        let prior: [Float] = [0.3, -1.2, 2.0, 0.0]
        let delta: [Float] = [2e-3, -1e-3, 1.5e-3, -2e-3]
        let theta = zip(prior, delta).map { $0 + $1 }
        let exact = BinaryVariational.kl(theta, prior: prior)
        let quadratic = BinaryVariational.klQuadratic(theta, prior: prior)
        #expect(exact > 0 && abs(exact / quadratic - 1) < 0.01)
        // In m-space: moving m by the same amount costs 1/(1 − m'²) times more at |m'| = tanh 2.
        let soft = BinaryVariational.klQuadratic([Float(atanh(0.01))], prior: [0])
        let mConfident = tanh(2.0)
        let hard = BinaryVariational.klQuadratic([Float(atanh(mConfident + 0.01))], prior: [2])
        #expect(abs(hard / soft - 1 / (1 - mConfident * mConfident)) < 0.02 * hard / soft)
    }

    @Test func logCoshIsStableAndExact() {
        #expect(abs(BinaryVariational.logCosh(0.5) - log(cosh(0.5))) < 1e-15)
        #expect(abs(BinaryVariational.logCosh(-3) - log(cosh(3.0))) < 1e-14)
        #expect(abs(BinaryVariational.logCosh(1000) - (1000 - log(2.0))) < 1e-9)
    }

    // MARK: the data term

    @Test func negLogPhiIsContinuousAndItsSlopeIsTheDerivative() {
        #expect(abs(BinaryVariational.negLogPhi(0).value - log(2.0)) < 1e-15)
        #expect(abs(BinaryVariational.negLogPhi(0).slope + 2 / (2 * Double.pi).squareRoot()) < 1e-15)
        // The asymptotic branch below −30 meets the erfc branch.
        let below = BinaryVariational.negLogPhi(-30.000001), above = BinaryVariational.negLogPhi(-29.999999)
        #expect(abs(below.value - above.value) < 1e-4 && abs(below.slope - above.slope) < 1e-4)
        for u in [-40.0, -5.0, -1.0, 0.3, 4.0] {
            let h = 1e-5
            let fd = (BinaryVariational.negLogPhi(u + h).value - BinaryVariational.negLogPhi(u - h).value) / (2 * h)
            #expect(abs(fd - BinaryVariational.negLogPhi(u).slope) < 1e-5 * max(1, abs(u)))
        }
        #expect(BinaryVariational.negLogPhi(-200).value.isFinite && BinaryVariational.negLogPhi(50).value == 0)
    }

    /// The analytic gradient of L/P (data term + λ/P KL) against central differences on θ.
    @Test func objectiveGradientMatchesFiniteDifferences() {
        let n = 12, p = 40
        var rng = RNG(seed: 11)
        let x = Matrix(rows: p, cols: n, storage: (0..<(p * n)).map { _ in rng.normal() })
        let y: [Float] = (0..<p).map { _ in rng.uniform() < 0.5 ? -1 : 1 }
        let theta = (0..<n).map { _ in rng.normal(mean: 0, sd: 1) }
        let prior = (0..<n).map { _ in rng.normal(mean: 0, sd: 1.5) }
        let batch = [3, 17, 0, 39, 22, 8, 8]
        var g: [Float] = []
        let f0 = BinaryVariational.objective(theta: theta, prior: prior, lambda: 2.5, examples: p, x: x, y: y, batch: batch, gradient: &g)
        #expect(f0.isFinite && f0 > 0 && g.count == n)
        var scratch: [Float] = []
        let h: Float = 1e-2
        for i in 0..<n {
            var up = theta, down = theta
            up[i] += h; down[i] -= h
            let fu = BinaryVariational.objective(theta: up, prior: prior, lambda: 2.5, examples: p, x: x, y: y, batch: batch, gradient: &scratch)
            let fd = BinaryVariational.objective(theta: down, prior: prior, lambda: 2.5, examples: p, x: x, y: y, batch: batch, gradient: &scratch)
            let numeric = (fu - fd) / Double(2 * h)
            #expect(abs(numeric - Double(g[i])) < 2e-3 + 0.02 * abs(numeric), "θ_\(i): \(numeric) vs \(g[i])")
        }
    }

    /// At θ = θ' = 0 every P(y|x) = 1/2: the objective is log 2 whatever λ, and the KL gradient is 0.
    @Test func objectiveAtTheUniformStudentIsLogTwo() {
        let x = Matrix(rows: 2, cols: 3, storage: [1, -2, 0.5, 0.3, 0.3, -1])
        var g: [Float] = []
        let f = BinaryVariational.objective(theta: [0, 0, 0], prior: [0, 0, 0], lambda: 5, examples: 2, x: x, y: [1, -1],
                                            batch: [0, 1], gradient: &g)
        #expect(abs(f - log(2.0)) < 1e-12)
        // ∂/∂θ_i = −(φ(0)/Φ(0)) y x_i / (√N s), s² = Σ x_i²/N, averaged over the two rows.
        let c = -2 / (2 * Double.pi).squareRoot()
        let s0 = ((1 + 4 + 0.25) / 3.0).squareRoot(), s1 = ((0.09 + 0.09 + 1) / 3.0).squareRoot()
        let expected = [0, 1, 2].map { i in
            (c * Double(x[0, i]) / (3.0.squareRoot() * s0) - c * Double(x[1, i]) / (3.0.squareRoot() * s1)) / 2
        }
        for i in 0..<3 { #expect(abs(Double(g[i]) - expected[i]) < 1e-5) }
    }

    @Test func rankCorrelationOnHandComputedSeries() {
        #expect(BinaryVariational.rankCorrelation([1, 2, 3, 4], [10, 20, 35, 40]) == 1)
        #expect(BinaryVariational.rankCorrelation([1, 2, 3, 4], [9, 5, 1, -3]) == -1)
        // Ties share the average rank: ranks [1, 2.5, 2.5, 4] vs [1, 2, 3, 4] → 4.5 / √(4.5 · 5).
        #expect(abs(BinaryVariational.rankCorrelation([1, 2, 2, 3], [1, 2, 3, 4]) - 4.5 / (4.5 * 5).squareRoot()) < 1e-12)
        #expect(BinaryVariational.rankCorrelation([1, 1, 1], [1, 2, 3]).isNaN)
        #expect(BinaryVariational.rankCorrelation([1], [1]).isNaN)
    }

    // MARK: the simulation

    static func make(n: Int = 60, steps: Int = 200, lambda: Double = 1, rho: Double = 0.5) -> BinaryVariationalSimulation {
        let config = BinaryVariationalSimulation.Config(n: n, rho: rho, lambda: lambda, stepsPerTask: steps, batch: 16,
                                                        rules: [AdamW(RuleParameterValues(AdamW.parameters, given: ["eta": 0.05, "weight_decay": 0])),
                                                                 GradientDescent(eta: 5)])
        return BinaryVariationalSimulation(config: config, seed: 5)
    }

    func column(_ sim: BinaryVariationalSimulation, _ m: [Double], _ name: String) -> Double {
        m[sim.metricNames.firstIndex(of: name) ?? 0]
    }

    @Test func teachersHaveTheRequestedOverlapAndRhoIsLive() {
        var sim = Self.make(n: 300)
        func teacherOverlap() -> Double { zip(sim.teachers[0], sim.teachers[1]).reduce(0.0) { $0 + Double($1.0 * $1.1) } / 300 }
        #expect(teacherOverlap() == 0.5)
        #expect(sim.setControl("rho", to: 0) == nil && teacherOverlap() == 0)
        #expect(sim.setControl("rho", to: 1) == nil && sim.teachers[0] == sim.teachers[1])
        #expect(sim.setControl("rho", to: 1.5) != nil && sim.setControl("lambda", to: -1) != nil)
    }

    /// Task 1 uses λ = 0 in both arms (identical), and at λ = 0 the arms stay identical in task 2.
    @Test func armsAgreeInTaskOneAndAtLambdaZero() {
        var sim = Self.make(lambda: 3)
        sim.advance(200)
        #expect(sim.arms[0].theta == sim.arms[1].theta && sim.arms[0].prior == sim.arms[0].theta)
        #expect(sim.events == [SimulationEvent(step: 200, label: "task 2")])
        let m = sim.measure()
        // The measure after the last task-1 step still reports task 1, with no metaplasticity yet.
        #expect(column(sim, m, "meta_corr").isNaN && column(sim, m, "task") == 1)
        var zero = sim
        #expect(zero.setControl("lambda", to: 0) == nil)
        zero.advance(50)
        #expect(zero.arms[0].theta == zero.arms[1].theta)
        sim.advance(50)
        #expect(sim.arms[0].theta != sim.arms[1].theta)
        #expect(!column(sim, sim.measure(), "meta_corr").isNaN)
    }

    /// The page's effects on a small instance (N = 60, unrelated teachers): the anchored arm keeps
    /// task 1 better and learns task 2 worse than the plain arm, and the weights task 1 left
    /// confident move least.
    @Test func anchorTradesTaskTwoForTaskOne() {
        var sim = Self.make(n: 100, steps: 400, lambda: 3, rho: 0)
        sim.advance(800)
        let m = sim.measure()
        #expect(column(sim, m, "eps_1") + 0.05 < column(sim, m, "plain_eps_1"))
        #expect(column(sim, m, "eps_2") > column(sim, m, "plain_eps_2"))
        #expect(column(sim, m, "meta_corr") < -0.1)
        #expect(column(sim, m, "kl") > 0)
    }

    @Test func ruleSwitchKeepsFieldsAndResetsOptimiserState() {
        var sim = Self.make()
        sim.advance(30)
        let theta = sim.arms.map(\.theta)
        sim.selectRule(1)
        #expect(sim.activeRule == 1 && sim.arms.map(\.theta) == theta)
        #expect(sim.arms.allSatisfy { $0.state.updates == 0 && $0.state.m.allSatisfy { $0 == 0 } })
    }
}
