import Testing
import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import SynModels

/// Continual rules and HLOP's lateral subspace against hand-computed updates.
@Suite struct ContinualRuleTests {
    static func make<R: ContinualLearningRule>(_ type: R.Type, _ given: [String: Double]) -> R {
        var r = R(RuleParameterValues(R.parameters, given: given))
        r.bind(parameterCount: 2)
        return r
    }

    static func apply<R: ContinualLearningRule>(_ rule: inout R, _ g: [Float], _ theta: inout [Float], task: Int) -> Int {
        g.withUnsafeBufferPointer { gb in
            theta.withUnsafeMutableBufferPointer { tb in rule.apply(gb.baseAddress!, to: tb.baseAddress!, count: 2, task: task) }
        }
    }

    @Test func classpCodeScheduleIsSGDOnTaskOneThenDividesByTheAccumulatedMagnitude() {
        var rule = Self.make(CLASSP.self, ["eta": 0.1])
        var theta: [Float] = [1, 1]
        #expect(Self.apply(&rule, [0.5, -0.2], &theta, task: 0) == 2)
        #expect(abs(theta[0] - 0.95) < 1e-6 && abs(theta[1] - 1.02) < 1e-6)
        #expect(rule.accumulator == [0.5, 0.2])
        // Task 2: A = 0.5 + 0.5 = 1, step 0.1 * 0.5 / (1 + 1e-5); a zero gradient changes nothing.
        #expect(Self.apply(&rule, [0.5, 0], &theta, task: 1) == 1)
        #expect(abs(Double(theta[0]) - (0.95 - 0.05 / (1 + 1e-5))) < 1e-6)
        #expect(theta[1] == 1.02)
    }

    @Test func classpPaperFormGatesEachWeightBySquaredGradient() {
        var rule = Self.make(CLASSP.self, ["eta": 0.1, "p": 2, "threshold": 0.1, "paper_form": 1])
        var theta: [Float] = [1, 1]
        // g^2 = 0.25 > 0.1 updates; g^2 = 0.04 does not, but still accumulates |g|^2.
        #expect(Self.apply(&rule, [0.5, 0.2], &theta, task: 0) == 1)
        #expect(abs(Double(theta[0]) - (1 - 0.1 * 0.5 / (1e-5 + 0.25).squareRoot())) < 1e-5)
        #expect(theta[1] == 1)
        #expect(abs(rule.accumulator![1] - 0.04) < 1e-7)
    }

    @Test func adagradDividesByTheRootOfSummedSquares() {
        var rule = Self.make(AdaGrad.self, ["eta": 0.1])
        var theta: [Float] = [0, 0]
        _ = Self.apply(&rule, [3, 0], &theta, task: 0)
        _ = Self.apply(&rule, [4, 0], &theta, task: 0)
        // -0.1 * 3 / 3 - 0.1 * 4 / 5
        #expect(abs(Double(theta[0]) - -0.18) < 1e-5)
    }

    @Test func projectionRemovesTheStoredDirections() {
        var sub = LateralSubspace(inputs: 3)
        // Learn a 1-d subspace from data along (1, 0, 0) only.
        var x = Matrix(rows: 50, cols: 3)
        var rng = RNG(seed: 1)
        for i in 0..<50 { x[i, 0] = rng.normal() }
        sub.learnTask(activity: x, newRows: 1, iterations: 50, batch: 16, eta: 0.05, rng: &rng)
        #expect(sub.count == 1)
        #expect(abs(abs(sub.rows[0, 0]) - 1) < 1e-3)
        var g: [Float] = [1, 2, 3, 4, 5, 6]  // two rows of a 2 x 3 gradient
        g.withUnsafeMutableBufferPointer { sub.project($0.baseAddress!, outputs: 2) }
        #expect(abs(g[0]) < 1e-3 && abs(g[3]) < 1e-3)
        #expect(abs(g[1] - 2) < 1e-3 && abs(g[5] - 6) < 1e-3)
    }

    @Test func hebbianPhaseFindsTheTopSubspaceOrthogonalToTheStoredOne() {
        // Variances 4, 1, 0.01 along the axes: after storing the top axis, the next task's new
        // row must find the second axis (the top one of the residual), orthogonal to the first.
        var rng = RNG(seed: 2)
        var x = Matrix(rows: 400, cols: 3)
        for i in 0..<400 { x[i, 0] = 2 * rng.normal(); x[i, 1] = rng.normal(); x[i, 2] = 0.1 * rng.normal() }
        var sub = LateralSubspace(inputs: 3)
        sub.learnTask(activity: x, newRows: 1, iterations: 200, batch: 16, eta: 0.02, rng: &rng)
        sub.learnTask(activity: x, newRows: 1, iterations: 200, batch: 16, eta: 0.02, rng: &rng)
        #expect(sub.count == 2)
        #expect(sub.orthError < 0.05)
        #expect(sub.capture > 0.95)
        #expect(abs(sub.rows[1, 1]) > 0.97)
    }
}

/// The plasticity-loss readouts on a hand-computed feature matrix.
@Suite struct UnitActivityTests {
    /// Two samples x three ReLU units; unit 2 is dead.
    static let f = Matrix(rows: 2, cols: 3, storage: [1, 0, 2,
                                                      3, 0, 0])

    @Test func activeAndDormantFractions() {
        #expect(UnitActivity.activeFraction(Self.f, activation: .relu) == 0.5)
        // E|a| = (2, 0, 1), mean 1: only the dead unit has s_i <= 0.025.
        #expect(abs(UnitActivity.dormantFraction(Self.f) - 1.0 / 3) < 1e-12)
        #expect(UnitActivity.activeFraction(Matrix(rows: 1, cols: 2, storage: [0.5, 0.995]), activation: .tanh) == 0.5)
    }

    @Test func singularValuesAndRanks() {
        // FᵀF restricted to the live units is [[10, 2], [2, 4]]: eigenvalues 7 ± √13.
        let s = UnitActivity.singularValues(Self.f)
        let expected = [(7 + 13.0.squareRoot()).squareRoot(), (7 - 13.0.squareRoot()).squareRoot(), 0]
        #expect(zip(s, expected).allSatisfy { abs($0 - $1) < 1e-9 })
        let p = expected.prefix(2).map { $0 / (expected[0] + expected[1]) }
        #expect(abs(UnitActivity.effectiveRank(s) - exp(-p.reduce(0) { $0 + $1 * log($1) })) < 1e-9)
        #expect(UnitActivity.stableRank(s) == 2)
        #expect(UnitActivity.stableRank([1, 0.001, 0]) == 1)
    }
}
