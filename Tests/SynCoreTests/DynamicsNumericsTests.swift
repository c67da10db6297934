import Testing
@testable import SynCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hessian probes, linear CKA and Fourier power on cases with known answers.
@Suite struct DynamicsNumericsTests {
    /// A = Q diag(d) Qᵀ (row-major, n × n) with Q a product of Givens rotations, so its
    /// eigenvalues are exactly `d`.
    static func rotatedDiagonal(_ d: [Double]) -> [Double] {
        let n = d.count
        var q = [Double](repeating: 0, count: n * n)
        for i in 0..<n { q[i * n + i] = 1 }
        for (i, j, t) in [(0, 1, 0.7), (1, 2, -0.4), (0, 3, 1.1), (2, 4, 0.3)] where j < n {
            for r in 0..<n {
                let a = q[r * n + i], b = q[r * n + j]
                q[r * n + i] = cos(t) * a - sin(t) * b
                q[r * n + j] = sin(t) * a + cos(t) * b
            }
        }
        var a = [Double](repeating: 0, count: n * n)
        for r in 0..<n { for c in 0..<n { for k in 0..<n { a[r * n + c] += q[r * n + k] * d[k] * q[c * n + k] } } }
        return a
    }

    /// The gradient θ ↦ A θ of the quadratic L(θ) = ½ θᵀ A θ + bᵀθ shifted by b.
    static func quadraticGradient(_ a: [Double], _ b: [Float]) -> ([Float]) -> [Float] {
        let n = b.count
        return { th in (0..<n).map { r in Float((0..<n).reduce(0.0) { $0 + a[r * n + $1] * Double(th[$1]) }) + b[r] } }
    }

    @Test func hessianVectorOfAQuadraticIsAv() {
        let a = Self.rotatedDiagonal([5, 2, -1, 0.5, 3])
        let g = Self.quadraticGradient(a, [0.3, -1, 2, 0, 0.1])
        let theta: [Float] = [1, -2, 0.5, 3, -0.7]
        let v: [Float] = [0.2, 1, -0.5, 0.3, 2]
        let hv = HessianProbe.hessianVector(at: theta, v, step: 1e-2, gradient: g)
        for r in 0..<5 {
            let exact = (0..<5).reduce(0.0) { $0 + a[r * 5 + $1] * Double(v[$1]) }
            #expect(abs(Double(hv[r]) - exact) < 1e-3 * max(1, abs(exact)), "row \(r): \(hv[r]) vs \(exact)")
        }
        #expect(HessianProbe.hessianVector(at: theta, [0, 0, 0, 0, 0], step: 1e-2, gradient: g) == [0, 0, 0, 0, 0])
    }

    @Test func powerIterationFindsTheTopEigenvalueOfAQuadraticsHessian() {
        let a = Self.rotatedDiagonal([5, 2, -1, 0.5, 3])
        let g = Self.quadraticGradient(a, [0, 0, 0, 0, 0])
        let theta: [Float] = [0.1, 0.2, 0.3, 0.4, 0.5]
        let top = HessianProbe.topEigen(start: [1, 1, 1, 1, 1], iterations: 60) {
            HessianProbe.hessianVector(at: theta, $0, step: 1e-2, gradient: g)
        }
        #expect(abs(top.value - 5) < 1e-3)
        // The eigenvector satisfies A v = 5 v.
        let av = g(top.vector)
        for i in 0..<5 { #expect(abs(av[i] - 5 * top.vector[i]) < 1e-2) }
        // Warm start from the answer converges in one iteration.
        let again = HessianProbe.topEigen(start: top.vector, iterations: 1) { g($0) }
        #expect(abs(again.value - 5) < 1e-4)
    }

    @Test func hutchinsonIsExactForADiagonalAndUnbiasedOtherwise() {
        var rng = RNG(seed: 3)
        let d: [Float] = [4, -1, 2.5, 0.5]
        let diagTrace = HessianProbe.hutchinsonTrace(dimension: 4, samples: 3, rng: &rng) { z in (0..<4).map { d[$0] * z[$0] } }
        #expect(abs(diagTrace - 6) < 1e-9)
        // Off-diagonal entries add zero-mean noise: the mean of many probes is near tr A = 9.5.
        let a = Self.rotatedDiagonal([5, 2, -1, 0.5, 3])
        let g = Self.quadraticGradient(a, [0, 0, 0, 0, 0])
        let est = HessianProbe.hutchinsonTrace(dimension: 5, samples: 4000, rng: &rng, apply: g)
        #expect(abs(est - 9.5) < 0.15, "\(est)")
    }

    static func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64) -> Matrix {
        var rng = RNG(seed: seed)
        return Matrix(rows: rows, cols: cols) { _, _ in rng.normal() }
    }

    @Test func ckaOfARepresentationWithItselfIsOne() {
        let x = Self.randomMatrix(40, 7, seed: 1)
        #expect(abs(CKA.linear(x, x) - 1) < 1e-5)
        let m = CKA.matrix([x, Self.randomMatrix(40, 3, seed: 2)])
        #expect(m[0] == 1 && m[3] == 1 && m[1] == m[2])
        #expect(abs(m[1] - CKA.linear(x, Self.randomMatrix(40, 3, seed: 2))) < 1e-9)
    }

    @Test func ckaIsInvariantToOrthogonalTransformsAndIsotropicScaling() {
        let x = Self.randomMatrix(50, 4, seed: 5)
        let y = Self.randomMatrix(50, 6, seed: 6)
        let base = CKA.linear(x, y)
        // Rotate y's feature space by an orthogonal Q (6 x 6), scale by 3.7 and shift every
        // column (centring removes the shift).
        var rot = Matrix.identity(6)
        for (i, j, t) in [(0, 1, 0.9), (2, 5, -1.3), (1, 4, 0.4), (3, 0, 2.0)] {
            for r in 0..<6 {
                let a = rot[r, i], b = rot[r, j]
                rot.storage[r * 6 + i] = Float(cos(t)) * a - Float(sin(t)) * b
                rot.storage[r * 6 + j] = Float(sin(t)) * a + Float(cos(t)) * b
            }
        }
        var y2 = y * rot
        for k in 0..<y2.storage.count { y2.storage[k] = 3.7 * y2.storage[k] + Float(k % 6) }
        #expect(abs(CKA.linear(x, y2) - base) < 1e-5)
        #expect(abs(CKA.linear(y2, x) - base) < 1e-5)
        // A non-isotropic scaling of one feature does change it.
        var y3 = y
        for r in 0..<50 { y3.storage[r * 6] *= 10 }
        #expect(abs(CKA.linear(x, y3) - base) > 1e-3)
        // A constant representation has no CKA.
        #expect(CKA.linear(x, Matrix(rows: 50, cols: 2, repeating: 1)).isNaN)
    }

    @Test func aPureCosineHasAllItsPowerAtItsFrequency() {
        let p = 23
        let x = (0..<p).map { j in Float(2 * cos(2 * Double.pi * 4 * Double(j) / Double(p) + 0.8)) }
        let pw = Fourier.power(x)
        #expect(pw.count == 12)
        let total = x.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(pw.reduce(0, +) - total) < 1e-4)  // Parseval
        // A_4² = ‖x‖² = 4 · p / 2 for amplitude 2.
        #expect(abs(pw[4] - 46) < 1e-3)
        for k in pw.indices where k != 4 { #expect(pw[k] < 1e-8) }
        #expect(Fourier.dominantFrequency(pw) == 4)
        #expect(abs(Fourier.ipr(pw) - 1) < 1e-9)
    }

    @Test func fourierPowerMatchesHandComputedCases() {
        // Constant: all power at k = 0. Alternating on even p: all at k = p/2.
        let c = Fourier.power([Float](repeating: 3, count: 8))
        #expect(abs(c[0] - 72) < 1e-9 && c.dropFirst().allSatisfy { $0 < 1e-9 })
        let alt = Fourier.power((0..<8).map { $0 % 2 == 0 ? 1 : -1 })
        #expect(abs(alt[4] - 8) < 1e-9 && alt.dropLast().allSatisfy { $0 < 1e-9 })
        // Two frequencies of equal power: IPR 1/2; a flat spectrum over K frequencies: 1/K.
        #expect(abs(Fourier.ipr([0, 1, 1, 0]) - 0.5) < 1e-12)
        #expect(abs(Fourier.ipr([9, 2, 2, 2, 2]) - 0.25) < 1e-12)
        #expect(Fourier.ipr([5, 0, 0]).isNaN)
    }
}
