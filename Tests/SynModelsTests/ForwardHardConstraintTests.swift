import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SynCore
@testable import SynModels

/// The hard-constraint pieces (scene `hard-constraints`): the basis network's exact x-derivatives
/// and its backward pass, the constrained solve and its implicit-function backward pass,
/// checked against finite differences and hand-computed solutions.
@Suite struct ForwardHardConstraintTests {
    /// b′ and b″ from the carried channels match central differences of b in x (h = 1e-2 in
    /// Float: agreement to a few 1e-3 relative to the scale).
    @Test func basisDerivativesMatchFiniteDifferences() {
        var net = BasisNetwork(inputs: 4, hidden: 8, basis: 3)
        var rng = RNG(seed: 4)
        let theta = net.initialParameters(rng: &rng)
        let (x, h) = (0.37, 0.01)
        let input = { (x: Double) -> [Float] in [Float(x), 0.2, -0.5, 0.7] }
        let out = net.forward(theta, inputs: input(x), count: 1)
        let plus = net.forward(theta, inputs: input(x + h), count: 1)
        let minus = net.forward(theta, inputs: input(x - h), count: 1)
        for q in 0..<3 {
            let d1 = (Double(plus[q]) - Double(minus[q])) / (2 * h)
            let d2 = (Double(plus[q]) - 2 * Double(out[q]) + Double(minus[q])) / (h * h)
            #expect(abs(Double(out[3 + q]) - d1) < 2e-3)
            #expect(abs(Double(out[6 + q]) - d2) < 2e-2)
        }
    }

    /// ∂L/∂θ of L = Σ c · (b, b′, b″) for fixed weights c matches a central difference in one
    /// weight of each layer.
    @Test func basisBackwardMatchesFiniteDifferences() {
        var net = BasisNetwork(inputs: 4, hidden: 6, basis: 2)
        var rng = RNG(seed: 9)
        let theta = net.initialParameters(rng: &rng)
        let inputs: [Float] = [0.2, 0.1, -0.3, 0.5, 0.8, -0.4, 0.6, 0.2]
        let weights: [Float] = (0..<12).map { Float($0 % 5) - 2 }
        func loss(_ t: [Float]) -> Double {
            var n = net
            let out = n.forward(t, inputs: inputs, count: 2)
            return zip(out, weights).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        }
        _ = net.forward(theta, inputs: inputs, count: 2)
        let g = net.backward(theta, weights)
        for k in [1, net.layout.wOffset[1] + 3, net.layout.bOffset[1] + 2, net.layout.wOffset[2] + 5] {
            var tp = theta, tm = theta
            tp[k] += 1e-2; tm[k] -= 1e-2
            let fd = (loss(tp) - loss(tm)) / 2e-2
            #expect(abs(Double(g[k]) - fd) < 2e-2 * max(1, abs(fd)), "parameter \(k): \(g[k]) vs \(fd)")
        }
    }

    /// Two rows, two unknowns: A = [[1, 1], [1, -1]], c = (3, 1) gives ω = (2, 1) with zero
    /// residual; one row [1, 1] = 2 with a tiny ridge gives the minimum-norm ω = (1, 1).
    @Test func solveHoldsTheRowsExactlyWhenNotOverdetermined() {
        let s = ConstrainedSolve(a: [1, 1, 1, -1], c: [3, 1], unknowns: 2, delta: 1e-12)
        #expect(abs(s.omega[0] - 2) < 1e-9 && abs(s.omega[1] - 1) < 1e-9)
        #expect(s.residuals.allSatisfy { abs($0) < 1e-9 })
        let u = ConstrainedSolve(a: [1, 1], c: [2], unknowns: 2, delta: 1e-9)
        #expect(abs(u.omega[0] - 1) < 1e-6 && abs(u.omega[1] - 1) < 1e-6)
    }

    /// ∂L/∂A from the implicit function theorem matches central differences of L = g · ω(A)
    /// for an overdetermined 4 x 2 system.
    @Test func solveBackwardMatchesFiniteDifferences() {
        let a: [Double] = [1, 0.5, -0.3, 2, 0.7, 0.1, 1.2, -1]
        let c: [Double] = [1, -2, 0.5, 0.3]
        let gw: [Double] = [0.7, -1.3]
        let s = ConstrainedSolve(a: a, c: c, unknowns: 2, delta: 1e-6)
        let gA = s.backward(gw)
        for k in a.indices {
            var ap = a, am = a
            ap[k] += 1e-6; am[k] -= 1e-6
            let lp = zip(ConstrainedSolve(a: ap, c: c, unknowns: 2, delta: 1e-6).omega, gw).reduce(0.0) { $0 + $1.0 * $1.1 }
            let lm = zip(ConstrainedSolve(a: am, c: c, unknowns: 2, delta: 1e-6).omega, gw).reduce(0.0) { $0 + $1.0 * $1.1 }
            #expect(abs(gA[k] - (lp - lm) / 2e-6) < 1e-6)
        }
    }

    /// The exact solution satisfies u'' = f (central differences) and the boundary values.
    @Test func exactSolutionSolvesThePoissonProblem() {
        let a = [0.3, -0.8, 0.5]
        #expect(abs(HardConstraintSimulation.exact(a, 0)) < 1e-12 && abs(HardConstraintSimulation.exact(a, 1)) < 1e-12)
        let (x, h) = (0.41, 1e-4)
        let d2 = (HardConstraintSimulation.exact(a, x + h) - 2 * HardConstraintSimulation.exact(a, x) + HardConstraintSimulation.exact(a, x - h)) / (h * h)
        #expect(abs(d2 - HardConstraintSimulation.source(a, x)) < 1e-5)
    }
}
