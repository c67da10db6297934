#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import SynCore
@testable import SynModels

/// The sparse-recordings scene's pieces: the population CCA on hand cases (identical and rotated
/// populations give 1, independent noise gives about √(q/n)), the student's loss against a hand
/// computation, its BPTT gradient against central differences, and the arms sharing one start.
@Suite struct SparseRecordingTests {
    /// n samples of a population with `dims` strong latent directions in `units` units.
    static func population(n: Int, units: Int, dims: Int, seed: UInt64) -> Matrix {
        var rng = RNG(seed: seed)
        let latent = Matrix(rows: n, cols: dims) { _, j in Float(dims - j) * rng.normal() }
        let mix = Matrix(rows: dims, cols: units) { _, _ in rng.normal() }
        return latent * mix
    }

    @Test func identicalPopulationsGiveOne() {
        let x = Self.population(n: 400, units: 20, dims: 6, seed: 1)
        let rho = PopulationCCA.correlations(PopulationCCA.basis(x, components: 6)!, PopulationCCA.basis(x, components: 6)!)
        #expect(rho.count == 6)
        for r in rho { #expect(abs(r - 1) < 1e-4) }
        #expect(abs(PopulationCCA.mean(x, x, components: 6) - 1) < 1e-4)
    }

    /// Y = X R + c for an orthogonal R (a Givens rotation of every unit pair) and an offset:
    /// the same population in another basis, so every canonical correlation is 1.
    @Test func rotatedCopyGivesOne() {
        let x = Self.population(n: 400, units: 12, dims: 12, seed: 2)
        var r = Matrix.identity(12)
        for p in stride(from: 0, to: 12, by: 2) {
            let a = Float(0.3 + 0.2 * Double(p))
            r[p, p] = cosf(a); r[p, p + 1] = -sinf(a); r[p + 1, p] = sinf(a); r[p + 1, p + 1] = cosf(a)
        }
        var y = x * r
        for i in 0..<y.rows { for j in 0..<y.cols { y[i, j] += 3 } }
        let m = PopulationCCA.mean(x, y, components: 10)
        #expect(abs(m - 1) < 1e-3)
        // A different population (independent latents) is far from 1.
        let z = Self.population(n: 400, units: 12, dims: 12, seed: 3)
        #expect(PopulationCCA.mean(x, z, components: 10) < 0.5)
    }

    /// Independent Gaussian populations: canonical correlations of q = 10 directions over
    /// n = 4000 samples are of order √(q/n) = 0.05.
    @Test func independentNoiseGivesAboutZero() {
        var rng = RNG(seed: 4)
        let x = Matrix(rows: 4000, cols: 30) { _, _ in rng.normal() }
        let y = Matrix(rows: 4000, cols: 30) { _, _ in rng.normal() }
        let m = PopulationCCA.mean(x, y, components: 10)
        #expect(m < 0.1)
        #expect(m > 0)
    }

    @Test func constantPopulationIsUndefined() {
        let x = Matrix(rows: 50, cols: 5, repeating: 2)
        let y = Self.population(n: 50, units: 5, dims: 3, seed: 5)
        #expect(PopulationCCA.mean(x, y, components: 3).isNaN)
    }

    static func smallTask() -> (student: LeakyRNN, teacher: LeakyRNN, u: [Float]) {
        var rng = RNG(seed: 7)
        let teacher = LeakyRNN(units: 6, inputs: 3, outputs: 2, alpha: 0.3, gain: 1.3, rng: &rng)
        let student = LeakyRNN(units: 6, inputs: 3, outputs: 2, alpha: 0.3, gain: 1.0, rng: &rng)
        let u = (0..<(8 * 2 * 3)).map { _ in rng.normal() }  // T = 8 steps, C = 2 conditions
        return (student, teacher, u)
    }

    /// One unit, one input, one output, one condition, two steps, by hand:
    /// h1 = α b u1, h2 = (1−α) h1 + α (w tanh h1 + b u2), z_t = v tanh h_t.
    @Test func runMatchesHandComputation() {
        var rng = RNG(seed: 1)
        var net = LeakyRNN(units: 1, inputs: 1, outputs: 1, alpha: 0.5, gain: 1, rng: &rng)
        net.params = [0.8, 1.5, -2]  // w, b, v
        let tr = net.run([1, -0.5], conditions: 1)
        let h1 = 0.5 * 1.5 * 1.0
        let h2 = 0.5 * h1 + 0.5 * (0.8 * tanh(h1) + 1.5 * -0.5)
        #expect(tr.rates[0] == 0)
        #expect(abs(Double(tr.rates[1]) - tanh(h1)) < 1e-6)
        #expect(abs(Double(tr.rates[2]) - tanh(h2)) < 1e-6)
        #expect(abs(Double(tr.outputs[1]) - -2 * tanh(h2)) < 1e-6)
    }

    /// The loss terms are the means of the page's formula (checked against direct sums) and
    /// every gradient entry matches the central difference of the loss (λ = 0.7, k = 3).
    @Test(arguments: [0, 3])
    func gradientMatchesFiniteDifferences(_ k: Int) {
        let (student, teacher, u) = Self.smallTask()
        let target = teacher.run(u, conditions: 2)
        let recorded = Array([4, 0, 2].prefix(k))
        let lambda: Float = 0.7
        var g = [Float](repeating: 0, count: student.params.count)
        let (out, rec) = student.lossAndGradient(u, target: target, recorded: recorded, lambda: lambda, into: &g)
        let tr = student.run(u, conditions: 2)
        var direct = 0.0
        for i in 0..<tr.outputs.count { direct += Double(tr.outputs[i] - target.outputs[i]) * Double(tr.outputs[i] - target.outputs[i]) }
        #expect(abs(out - direct / 16) < 1e-6 * max(1, out))
        if k == 0 { #expect(rec == 0) } else { #expect(rec > 0) }

        func loss(_ p: [Float]) -> Double {
            var s = student
            s.params = p
            var scratch = g
            let (o, r) = s.lossAndGradient(u, target: target, recorded: recorded, lambda: lambda, into: &scratch)
            return o + Double(lambda) * r
        }
        let h: Float = 1e-2
        let scale = Double(g.map(abs).max() ?? 1)
        var worst = 0.0
        for i in student.params.indices {
            var p = student.params, m = student.params
            p[i] += h
            m[i] -= h
            let fd = (loss(p) - loss(m)) / Double(2 * h)
            worst = max(worst, abs(fd - Double(g[i])))
        }
        #expect(scale > 1e-3)
        #expect(worst < 2e-3 * max(1, scale), "worst |fd - grad| = \(worst), scale \(scale)")
    }

    /// All arms start from the same student; the recorded sets are nested; training lowers the
    /// output error of every arm.
    @Test func armsShareTheStartAndLearn() {
        let config = SparseRecordingSimulation.Config(units: 12, steps: 30, prep: 8, go: 3, conditions: 4, recorded: [0, 2, 4],
                                                      rules: [AdamW(RuleParameterValues(AdamW.parameters, given: ["weight_decay": 0, "eta": 0.01]))])
        var sim = SparseRecordingSimulation(config: config, seed: 3)
        let start = sim.measure()
        #expect(start[0] == start[1] && start[1] == start[2])  // output_mse_k0/k2/k4 at init
        #expect(start[3] == start[4] && start[4] == start[5])  // cca_mean at init
        #expect(start[9].isNaN && start[10] > 0)  // recorded_mse_k0 undefined
        sim.advance(60)
        let end = sim.measure()
        for a in 0..<3 { #expect(end[a] < 0.5 * start[a]) }
        #expect(Set(sim.recordOrder).count == 12)
    }
}
