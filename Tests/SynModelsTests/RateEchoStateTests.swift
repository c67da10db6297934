import Testing
import SynCore
@testable import SynModels

@Suite struct RateEchoStateTests {
    /// Delayed recall y(t) = u(t - 5) of i.i.d. inputs u ~ U(-0.5, 0.5): a 100-unit reservoir
    /// (g = 0.9) with a ridge readout recalls it on held-out data with NRMSE < 0.2 (chance: 1).
    @Test func reservoirWithRidgeReadoutRecallsDelayedInput() {
        var rng = RNG(seed: 8)
        var esn = EchoStateNetwork(size: 100, inputs: 1, outputs: 1, radius: 0.9, rng: &rng)
        let total = 1700, washout = 100, delay = 5
        let u = (0..<total).map { _ in rng.uniform(-0.5, 0.5) }
        var states = Matrix(rows: total, cols: 100)
        for t in 0..<total {
            esn.step([u[t]])
            for i in 0..<100 { states[t, i] = esn.state[i] }
        }
        let trainRange = washout..<1200
        let rTrain = Matrix(rows: trainRange.count, cols: 100) { r, c in states[washout + r, c] }
        let yTrain = Matrix(rows: trainRange.count, cols: 1) { r, _ in u[washout + r - delay] }
        esn.fitReadout(states: rTrain, targets: yTrain, lambda: 1e-6)
        var se = 0.0, variance = 0.0
        for t in 1200..<total {
            var y = esn.readout[0, 100]
            for i in 0..<100 { y += esn.readout[0, i] * states[t, i] }
            let e = Double(y - u[t - delay])
            se += e * e
            variance += Double(u[t - delay] * u[t - delay])
        }
        let nrmse = (se / variance).squareRoot()
        #expect(nrmse < 0.2, "NRMSE \(nrmse)")
    }
}
