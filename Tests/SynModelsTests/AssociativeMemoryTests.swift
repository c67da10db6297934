import Testing
import SynCore
@testable import SynModels

/// The key-value memory of pages 25 (Pavlovian conditioning) and 21 (BDH-lite), and the random
/// Hopfield tie-break, checked against hand computations and the crosstalk theory.
@Suite struct AssociativeMemoryTests {
    @Test func hebbianStoreIsTheSumOfOuterProducts() {
        let keys = Matrix(rows: 2, cols: 3, storage: [1, 0, 2, 0, 1, -1])
        let values = Matrix(rows: 2, cols: 2, storage: [3, 1, -1, 2])
        var m = Matrix(rows: 2, cols: 3)
        var rng = RNG(seed: 1)
        HebbianKV().store(keys: keys, values: values, into: &m, rng: &rng)
        // M[v, c] = sum_i values[i, v] keys[i, c].
        #expect(m.storage == [3, -1, 7, 1, 2, 0])
    }

    @Test func oneRescorlaWagnerPresentationFollowsTheDeltaRule() {
        // One item, one pass, eta 0.5, from M = 0: M = 0.5 v k^T / |k|^2.
        let keys = Matrix(rows: 1, cols: 2, storage: [3, 4])
        let values = Matrix(rows: 1, cols: 2, storage: [1, -2])
        var m = Matrix(rows: 2, cols: 2)
        var rng = RNG(seed: 1)
        RescorlaWagner(eta: 0.5, passes: 1).store(keys: keys, values: values, into: &m, rng: &rng)
        let expected: [Float] = [0.5 * 3 / 25, 0.5 * 4 / 25, -1 * 3 / 25, -1 * 4 / 25]
        for (a, b) in zip(m.storage, expected) { #expect(abs(a - b) < 1e-6) }
        // A second pass halves the remaining error: recall = (1 - 0.5^2) v.
        RescorlaWagner(eta: 0.5, passes: 2).store(keys: keys, values: values, into: &m, rng: &rng)
        let r = m * [3, 4]
        #expect(abs(r[0] - 0.75) < 1e-5 && abs(r[1] + 1.5) < 1e-5)
    }

    @Test func orthogonalKeysGivePerfectHebbianRecall() {
        var rng = RNG(seed: 3)
        let keys = KeyFeatures.orthonormalRows(32, 32, rng: &rng)
        let values = KeyFeatures.randomUnitRows(32, 16, rng: &rng)
        var m = Matrix(rows: 16, cols: 32)
        HebbianKV().store(keys: keys, values: values, into: &m, rng: &rng)
        let q = KeyValueRecall(memory: m, features: keys, values: values)
        #expect(q.fidelity > 0.9999 && q.accuracy == 1 && q.allCorrect == 1)
    }

    /// Mean fidelity of random unit keys over 20 trials against 1/sqrt(1 + (N-1)/d_k).
    @Test(arguments: [(32, 16), (32, 64), (64, 128)])
    func hebbianFidelityFollowsTheCrosstalkTheory(_ dk: Int, _ n: Int) {
        var rng = RNG(seed: 7)
        var sum = 0.0
        for _ in 0..<20 {
            let keys = KeyFeatures.randomUnitRows(n, dk, rng: &rng)
            let values = KeyFeatures.randomUnitRows(n, 64, rng: &rng)
            var m = Matrix(rows: 64, cols: dk)
            HebbianKV().store(keys: keys, values: values, into: &m, rng: &rng)
            sum += KeyValueRecall(memory: m, features: keys, values: values).fidelity
        }
        let theory = KeyValueRecall.theoryFidelity(items: n, keyDim: dk)
        #expect(abs(sum / 20 - theory) < 0.03, "measured \(sum / 20), theory \(theory)")
    }

    @Test func rescorlaWagnerIsExactBelowCapacityAndHebbIsNot() {
        var rng = RNG(seed: 5)
        let keys = KeyFeatures.randomUnitRows(12, 32, rng: &rng)
        let values = KeyFeatures.randomUnitRows(12, 64, rng: &rng)
        var hebb = Matrix(rows: 64, cols: 32), rw = hebb
        HebbianKV().store(keys: keys, values: values, into: &hebb, rng: &rng)
        RescorlaWagner().store(keys: keys, values: values, into: &rw, rng: &rng)
        let h = KeyValueRecall(memory: hebb, features: keys, values: values)
        let d = KeyValueRecall(memory: rw, features: keys, values: values)
        #expect(d.fidelity > 0.99 && d.allCorrect == 1, "delta rule \(d.fidelity)")
        #expect(h.fidelity < 0.9)
    }

    @Test func sparseCodeKeepsItsActiveFractionAndIsPositive() {
        var rng = RNG(seed: 2)
        let code = KeyFeatures(sparse: 32, neurons: 512, activeFraction: 0.05, rng: &rng)
        let phi = code(KeyFeatures.randomUnitRows(200, 32, rng: &rng))
        let active = Double(phi.storage.filter { $0 > 0 }.count) / Double(phi.storage.count)
        #expect(abs(active - 0.05) < 0.01)
        #expect(phi.storage.allSatisfy { $0 >= 0 })
    }

    @Test func aZeroRecallIsUndefinedFidelityAndAMiss() {
        let q = KeyValueRecall(memory: Matrix(rows: 2, cols: 2), features: Matrix(rows: 1, cols: 2, storage: [1, 0]),
                               values: Matrix(rows: 1, cols: 2, storage: [0, 1]))
        #expect(q.fidelity.isNaN && q.accuracy == 0 && q.allCorrect == 0)
    }

    @Test func capacityMetricsAreUndefinedUntilTheProbeLoadIsVisited() {
        let config = KeyValueCapacity.Config(arms: [.init(keyDim: 8)], valueDim: 8, loads: [0.5, 1], probeLoad: 1)
        var sim = KeyValueCapacity(config: config, seed: 1)
        sim.advance(1)
        #expect(sim.measure()[0].isNaN)
        sim.advance(1)
        #expect(sim.measure()[0].isFinite)
    }

    @Test func hopfieldTiesAreBrokenAtRandomNotUpward() {
        // W = 0: every field is exactly 0, so every update is a tie.
        var net = Hopfield(n: 200, units: .binary, ties: RNG(seed: 4).stream("ties"))
        for i in 0..<200 { net.update(i) }
        let up = net.state.filter { $0 == 1 }.count
        #expect(up > 70 && up < 130)
        #expect(net.state.allSatisfy { $0 == 1 || $0 == -1 })
    }
}
