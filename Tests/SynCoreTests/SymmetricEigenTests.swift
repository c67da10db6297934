import Testing
@testable import SynCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random symmetric n x n matrix (row-major Double) with entries ~ U(-1, 1).
func randomSymmetric(_ n: Int, seed: UInt64) -> [Double] {
    var rng = RNG(seed: seed)
    var a = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0...i {
            let x = 2 * rng.uniformDouble() - 1
            a[i * n + j] = x
            a[j * n + i] = x
        }
    }
    return a
}

@Suite struct SymmetricEigenTests {
    @Test func diagonalMatrixGivesSortedDiagonal() {
        let diag: [Double] = [3, -1, 7, 0.5, 2]
        let n = diag.count
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { a[i * n + i] = diag[i] }
        let values = SymmetricEigen.eigenvalues(a, n: n)
        #expect(values == diag.sorted(by: >))
        let (v2, vecs) = SymmetricEigen.decompose(a, n: n)
        #expect(v2 == diag.sorted(by: >))
        // Eigenvector of the largest value 7 is e_2.
        for r in 0..<n { #expect(abs(vecs[r * n + 0] - (r == 2 ? 1 : 0)) < 1e-12) }
    }

    @Test func tridiagonalToeplitzMatchesClosedForm() {
        // T = tridiag(b, a, b): lambda_k = a + 2 b cos(k pi / (n + 1)), k = 1...n.
        for (n, a, b) in [(10, 2.0, -1.0), (33, 0.5, 0.3), (64, -1.0, 2.0)] {
            var m = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                m[i * n + i] = a
                if i + 1 < n { m[i * n + i + 1] = b; m[(i + 1) * n + i] = b }
            }
            let expected = (1...n).map { a + 2 * b * cos(Double($0) * Double.pi / Double(n + 1)) }.sorted(by: >)
            let got = SymmetricEigen.eigenvalues(m, n: n)
            let got2 = SymmetricEigen.decompose(m, n: n).values
            for k in 0..<n {
                #expect(abs(got[k] - expected[k]) < 1e-12 * Double(n) * (abs(a) + 2 * abs(b)))
                #expect(abs(got2[k] - expected[k]) < 1e-12 * Double(n) * (abs(a) + 2 * abs(b)))
            }
        }
    }

    @Test func randomSymmetricReconstructsAndIsOrthonormal() {
        for (n, seed) in [(3, UInt64(1)), (17, 2), (48, 3)] {
            let a = randomSymmetric(n, seed: seed)
            let (values, v) = SymmetricEigen.decompose(a, n: n)
            // Tolerance: backward-stable algorithm, error ~ n eps ||A||, ||A|| <= n here.
            let tol = 1e-13 * Double(n * n)
            var trace = 0.0
            for i in 0..<n { trace += a[i * n + i] }
            #expect(abs(values.reduce(0, +) - trace) < tol)
            for k in 1..<n { #expect(values[k - 1] >= values[k]) }
            // A V = V Lambda.
            for i in 0..<n {
                for k in 0..<n {
                    var av = 0.0
                    for j in 0..<n { av += a[i * n + j] * v[j * n + k] }
                    #expect(abs(av - v[i * n + k] * values[k]) < tol)
                }
            }
            // V^T V = I.
            for k in 0..<n {
                for l in 0..<n {
                    var s = 0.0
                    for i in 0..<n { s += v[i * n + k] * v[i * n + l] }
                    #expect(abs(s - (k == l ? 1 : 0)) < tol)
                }
            }
            // Values-only path agrees.
            let only = SymmetricEigen.eigenvalues(a, n: n)
            for k in 0..<n { #expect(abs(only[k] - values[k]) < tol) }
        }
    }

    @Test func trivialSizes() {
        #expect(SymmetricEigen.eigenvalues([], n: 0).isEmpty)
        let z = SymmetricEigen.decompose(Matrix(rows: 0, cols: 0))
        #expect(z.values.isEmpty && z.vectors.rows == 0)
        #expect(SymmetricEigen.eigenvalues([-4.5], n: 1) == [-4.5])
        let one = SymmetricEigen.decompose(Matrix(rows: 1, cols: 1, storage: [2.5]))
        #expect(one.values == [2.5] && one.vectors.storage == [1])
    }

    @Test func twoByTwoClosedForm() {
        // [[a, b], [b, c]]: (a + c)/2 +- sqrt(((a - c)/2)^2 + b^2).
        for (a, b, c) in [(1.0, 2.0, 3.0), (0.0, 1.0, 0.0), (5.0, -0.25, -2.0), (1.0, 1e-9, 1.0)] {
            let m = (a + c) / 2, r = (((a - c) / 2) * ((a - c) / 2) + b * b).squareRoot()
            let (values, v) = SymmetricEigen.decompose([a, b, b, c], n: 2)
            #expect(abs(values[0] - (m + r)) < 1e-14 * (abs(m) + r + 1))
            #expect(abs(values[1] - (m - r)) < 1e-14 * (abs(m) + r + 1))
            // First eigenvector satisfies (a - l) x + b y = 0 and has unit norm.
            #expect(abs((a - values[0]) * v[0] + b * v[2]) < 1e-13)
            #expect(abs(v[0] * v[0] + v[2] * v[2] - 1) < 1e-13)
        }
    }

    @Test func floatMatrixOverloadSymmetrises() {
        // Slightly asymmetric input is treated as (A + A^T)/2.
        let m = Matrix(rows: 2, cols: 2, storage: [2, 1.5, 0.5, 2])  // sym part [[2,1],[1,2]] -> 3, 1
        let values = SymmetricEigen.eigenvalues(m)
        #expect(abs(values[0] - 3) < 1e-6 && abs(values[1] - 1) < 1e-6)
        let (_, vecs) = SymmetricEigen.decompose(m)
        // Sign convention: largest-magnitude component positive; here both are 1/sqrt 2.
        #expect(abs(vecs[0, 0] - Float(0.5.squareRoot())) < 1e-6 && abs(vecs[1, 0] - Float(0.5.squareRoot())) < 1e-6)
    }
}

@Suite struct CovarianceTests {
    @Test func centredCovarianceMatchesDoubleReference() {
        var rng = RNG(seed: 11)
        let n = 41, d = 7
        let x = Matrix(rows: n, cols: d) { _, j in rng.normal() * Float(j + 1) + 3 }
        let c = Covariance.covariance(of: x, center: true)
        let mu = Covariance.columnMeans(x)
        for i in 0..<d {
            for j in 0..<d {
                var s = 0.0
                for r in 0..<n { s += (Double(x[r, i]) - mu[i]) * (Double(x[r, j]) - mu[j]) }
                s /= Double(n - 1)
                #expect(abs(Double(c[i, j]) - s) < 1e-5 * (1 + abs(s)))
            }
        }
        #expect(c == c.transposed)
    }

    @Test func uncentredSecondMomentDividesByN() {
        let x = Matrix(rows: 2, cols: 2, storage: [1, 2, 3, 4])
        let m = Covariance.covariance(of: x, center: false)
        // X^T X / 2 = [[10, 14], [14, 20]] / 2.
        #expect(m.storage == [5, 7, 7, 10])
        #expect(Covariance.covariance(of: Matrix(rows: 1, cols: 3), center: true) == Matrix(rows: 3, cols: 3))
    }
}
