#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import SynCore

/// `Hungarian` against brute force over every permutation, and `RealEigen` on matrices whose
/// spectra are known in closed form.
@Suite struct AssignmentEigenTests {
    static func permutations(_ n: Int) -> [[Int]] {
        guard n > 0 else { return [[]] }
        var out = [[Int]]()
        for p in permutations(n - 1) {
            for pos in 0...p.count {
                var q = p
                q.insert(n - 1, at: pos)
                out.append(q)
            }
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func hungarianMatchesBruteForce(n: Int) {
        var rng = RNG(seed: UInt64(100 + n))
        for trial in 0..<40 {
            // Integer costs half the time, so ties (several optimal assignments) occur.
            let cost: [Double] = (0..<(n * n)).map { _ in
                trial % 2 == 0 ? Double(rng.int(below: 5)) : Double(rng.normal()) * 3
            }
            let pi = Hungarian.assign(cost, n: n)
            #expect(Set(pi) == Set(0..<n), "not a permutation: \(pi)")
            let best = Self.permutations(n).map { Hungarian.total(cost, n: n, $0) }.min() ?? .nan
            #expect(abs(Hungarian.total(cost, n: n, pi) - best) < 1e-9, "n = \(n), trial \(trial)")
        }
    }

    @Test func hungarianOnAHandCase() {
        // Rows prefer column 0, but the optimum gives it to row 1: 2 + 1 + 2 = 5 (row 0 taking
        // column 0 would cost 1 + at least 6).
        let cost: [Double] = [1, 2, 8,
                              1, 6, 9,
                              9, 2, 2]
        #expect(Hungarian.assign(cost, n: 3) == [1, 0, 2])
        #expect(Hungarian.assign([.nan, 0, 0, .infinity], n: 2) == [1, 0])
    }

    static func sortedPairs(_ v: [ComplexValue]) -> [ComplexValue] {
        v.sorted { ($0.re, $0.im) < ($1.re, $1.im) }
    }

    @Test func realEigenOfTriangularAndRotationBlocks() {
        // Upper triangular: eigenvalues are the diagonal.
        let tri: [Double] = [3, 1, 4, 1,
                             0, -2, 5, 9,
                             0, 0, 0.5, 2,
                             0, 0, 0, 7]
        let t = Self.sortedPairs(RealEigen.eigenvalues(tri, n: 4))
        for (got, want) in zip(t, [-2.0, 0.5, 3, 7]) {
            #expect(abs(got.re - want) < 1e-10 && abs(got.im) < 1e-12)
        }
        // A similarity transform of diag(r R(θ), 0.5, -0.3) (R a rotation): ρ e^{±iθ}, 0.5, -0.3.
        let r = 0.9, th = 0.3
        let d: [Double] = [r * cos(th), -r * sin(th), 0, 0,
                           r * sin(th), r * cos(th), 0, 0,
                           0, 0, 0.5, 0,
                           0, 0, 0, -0.3]
        let s: [Double] = [1, 2, 0, 1,
                           0, 1, 3, 0,
                           1, 0, 1, 2,
                           0, 1, 0, 1]
        let a = Self.multiply(Self.multiply(s, d, 4), Self.inverse4(s), 4)
        let got = Self.sortedPairs(RealEigen.eigenvalues(a, n: 4))
        let want = Self.sortedPairs([ComplexValue(r * cos(th), r * sin(th)), ComplexValue(r * cos(th), -r * sin(th)),
                                     ComplexValue(0.5), ComplexValue(-0.3)])
        for (g, w) in zip(got, want) {
            #expect(abs(g.re - w.re) < 1e-9 && abs(g.im - w.im) < 1e-9, "\(g) vs \(w)")
        }
        #expect(RealEigen.eigenvalues([.nan, 0, 0, 1], n: 2).allSatisfy { $0.re.isNaN })
    }

    @Test func realEigenOfACompanionMatrix() {
        // x^5 - 1 = 0: the companion matrix's eigenvalues are the fifth roots of unity.
        let n = 5
        var c = [Double](repeating: 0, count: n * n)
        c[n - 1] = 1
        for i in 1..<n { c[i * n + i - 1] = 1 }
        let got = Self.sortedPairs(RealEigen.eigenvalues(c, n: n))
        let want = Self.sortedPairs((0..<n).map { k in
            ComplexValue(cos(2 * Double.pi * Double(k) / 5), sin(2 * Double.pi * Double(k) / 5))
        })
        for (g, w) in zip(got, want) {
            #expect(abs(g.re - w.re) < 1e-9 && abs(g.im - w.im) < 1e-9, "\(g) vs \(w)")
        }
    }

    static func multiply(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for k in 0..<n { out[i * n + j] += a[i * n + k] * b[k * n + j] } } }
        return out
    }

    /// Gauss-Jordan inverse of a 4 × 4 matrix (well conditioned here).
    static func inverse4(_ a: [Double]) -> [Double] {
        let n = 4
        var m = a, inv = (0..<(n * n)).map { $0 / n == $0 % n ? 1.0 : 0 }
        for col in 0..<n {
            let piv = (col..<n).max { abs(m[$0 * n + col]) < abs(m[$1 * n + col]) } ?? col
            for j in 0..<n { m.swapAt(col * n + j, piv * n + j); inv.swapAt(col * n + j, piv * n + j) }
            let p = m[col * n + col]
            for j in 0..<n { m[col * n + j] /= p; inv[col * n + j] /= p }
            for i in 0..<n where i != col {
                let f = m[i * n + col]
                for j in 0..<n { m[i * n + j] -= f * m[col * n + j]; inv[i * n + j] -= f * inv[col * n + j] }
            }
        }
        return inv
    }
}
