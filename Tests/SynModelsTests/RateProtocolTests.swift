import Testing
import SynCore
@testable import SynModels

/// The pieces of the curl-descent and NerVE protocols: uniform init, teacher input scale,
/// relative start noise, the per-batch norm clamp, error_ratio and standardised inputs.
@Suite struct RateProtocolTests {
    /// W ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)): every weight inside the bound, variance 1/(3 fan_in).
    @Test func uniformInitStaysInsideItsBoundWithTheUniformVariance() {
        var rng = RNG(seed: 3).stream("init")
        let net = MLP(sizes: [100, 200, 1], hidden: .tanh, output: .linear, uniform: true, rng: &rng)
        let w = net.weights(0).storage
        #expect(w.allSatisfy { abs($0) <= 0.1 })
        let v = w.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(w.count)
        #expect(abs(v - 1.0 / 300) / (1.0 / 300) < 0.05)
    }

    /// Teacher inputs x ~ N(0, input_sd^2): sample variance 0.5 for input_sd = sqrt(1/2).
    @Test func teacherInputsHaveTheGivenStandardDeviation() {
        var trng = RNG(seed: 1).stream("teacher"), rng = RNG(seed: 1).stream("task")
        let teacher = MLP(sizes: [10, 5, 1], hidden: .tanh, output: .linear, rng: &trng)
        let t = Tasks.teacher(teacher, count: 2000, noise: 0, inputSD: Float(0.5).squareRoot(), rng: &rng)
        let x = t.train.x.storage
        let v = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)
        #expect(abs(v - 0.5) < 0.02)
    }

    /// Norm clamp: after every update W_l has its initial Frobenius norm; error_ratio starts at
    /// exactly 1; the start noise is relative (init_noise * N(0, 1/fan_in)).
    @Test func normClampKeepsEachLayersInitialNormAndErrorRatioStartsAtOne() {
        var trng = RNG(seed: 2).stream("teacher"), rng = RNG(seed: 2).stream("task")
        let teacher = MLP(sizes: [10, 50, 1], hidden: .tanh, output: .linear, uniform: true, rng: &trng)
        let task = Tasks.teacher(teacher, count: 250, noise: 0, inputSD: Float(0.5).squareRoot(), rng: &rng)
        let config = MLPSimulation.Config(sizes: [10, 50, 1], hidden: .tanh, output: .linear, rules: [CurlDescent(eta: 0.05, flipFraction: 0.6, batch: 10)],
                                          start: 0, startAtTeacher: true, initNoise: 0.01, uniformInit: true, normClamp: true)
        var sim = MLPSimulation(config: config, task: task, teacher: teacher, seed: 2)
        // Relative start noise: |W1 - W1_teacher| rms = 0.01 / sqrt(10).
        let d0 = zip(sim.net.weights(0).storage, teacher.weights(0).storage).map { Double($0 - $1) }
        let rms = (d0.reduce(0) { $0 + $1 * $1 } / Double(d0.count)).squareRoot()
        #expect(abs(rms - 0.01 / 10.0.squareRoot()) / (0.01 / 10.0.squareRoot()) < 0.1)
        let n0 = [sim.weightNorm(layer: 0), sim.weightNorm(layer: 1)]
        let j = sim.metricNames.firstIndex(of: "error_ratio") ?? -1
        #expect(j >= 0 && sim.measure()[j] == 1)
        sim.advance(500)
        for l in 0..<2 { #expect(abs(sim.weightNorm(layer: l) - n0[l]) / n0[l] < 1e-5) }
    }

    /// standardized(): every non-constant training feature has mean 0 and sd 1; constant ones are 0.
    @Test func standardizedDigitsHaveZeroMeanUnitSD() {
        let t = Tasks.digits().standardized()
        let n = t.train.count, d = t.inputs
        var constant = 0
        for j in 0..<d {
            var m = 0.0, q = 0.0
            for i in 0..<n { let v = Double(t.train.x[i, j]); m += v; q += v * v }
            m /= Double(n)
            let sd = (q / Double(n) - m * m).squareRoot()
            #expect(abs(m) < 1e-5)
            if sd < 1e-6 { constant += 1 } else { #expect(abs(sd - 1) < 1e-4) }
        }
        #expect(constant < 4)
    }
}
