import Testing
@testable import SynCore

/// DSA's distance min over C ∈ O(n) of ‖A − C B Cᵀ‖_F: zero for a matrix and any orthogonal
/// conjugate of it, never above ‖A − B‖, and attained by an orthogonal C.
@Suite struct OrthogonalConjugacyTests {
    func randomMatrix(_ n: Int, _ rng: inout RNG) -> [Double] { (0..<(n * n)).map { _ in Double(rng.normal()) } }

    @Test func aMatrixIsAtDistanceZeroFromItself() {
        var rng = RNG(seed: 1)
        let a = randomMatrix(5, &rng)
        #expect(OrthogonalConjugacy.distance(a, a, n: 5, rng: &rng).distance == 0)
    }

    @Test(arguments: [2, 4, 6, 9])
    func anOrthogonalConjugateIsFoundAndTheMinimiserIsOrthogonal(n: Int) {
        var rng = RNG(seed: UInt64(n))
        // A non-normal operator with a spread spectrum, like a fitted DMD operator.
        let a = randomMatrix(n, &rng).map { $0 * 0.4 }
        let q = OrthogonalConjugacy.randomOrthogonal(n, rng: &rng)
        let b = OrthogonalConjugacy.multiply(OrthogonalConjugacy.multiply(OrthogonalConjugacy.transpose(q, n), a, n), q, n)
        let plain = OrthogonalConjugacy.frobenius(zip(a, b).map { $0 - $1 })
        let (d, c) = OrthogonalConjugacy.distance(a, b, n: n, starts: 16, iterations: 2000, rng: &rng)
        #expect(plain > 0.1, "B differs from A entry-wise")
        #expect(d < 1e-4 * plain, "n = \(n): d = \(d), |A - B| = \(plain)")
        let ctc = OrthogonalConjugacy.multiply(OrthogonalConjugacy.transpose(c, n), c, n)
        let offIdentity = zip(ctc, OrthogonalConjugacy.identity(n)).map { abs($0 - $1) }.max() ?? 1
        #expect(offIdentity < 1e-9)
    }

    @Test func theDistanceNeverExceedsThePlainDifferenceAndIsSymmetricInPractice() {
        var rng = RNG(seed: 7)
        for _ in 0..<10 {
            let n = 4
            let a = randomMatrix(n, &rng), b = randomMatrix(n, &rng)
            let plain = OrthogonalConjugacy.frobenius(zip(a, b).map { $0 - $1 })
            let ab = OrthogonalConjugacy.distance(a, b, n: n, starts: 16, iterations: 1000, rng: &rng).distance
            let ba = OrthogonalConjugacy.distance(b, a, n: n, starts: 16, iterations: 1000, rng: &rng).distance
            #expect(ab <= plain + 1e-12)
            #expect(ab > 0)
            // ‖A − C B Cᵀ‖ = ‖Cᵀ A C − B‖: the same minimum both ways (up to the search).
            #expect(abs(ab - ba) < 1e-3 * plain, "\(ab) vs \(ba)")
        }
    }

    @Test func nonFiniteInputIsNaN() {
        var rng = RNG(seed: 3)
        #expect(OrthogonalConjugacy.distance([1, .nan, 0, 1], [1, 0, 0, 1], n: 2, rng: &rng).distance.isNaN)
    }
}
