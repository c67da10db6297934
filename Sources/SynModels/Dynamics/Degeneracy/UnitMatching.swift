import SynCore

/// The permutation-invariant weight distance of science page 35: hidden units of network B are
/// matched to those of network A by a maximum-|correlation| assignment of their activities on a
/// common input stream (`Hungarian`); a unit matched with negative correlation is sign-flipped
/// (valid for tanh, which is odd). With P the resulting signed permutation,
///
///     d(W₁, W₂) = ‖W₁ − P W₂ Pᵀ‖_F / √(‖W₁‖_F ‖W₂‖_F),
///
/// 0 for a network and any signed permutation of itself, about √2 for two independent random
/// matrices of equal norm.
public enum UnitMatching {
    /// A signed permutation: unit i of A ↔ unit `partner[i]` of B, times `sign[i]` (±1).
    public struct Match: Sendable, Equatable {
        public var partner: [Int]
        public var sign: [Float]
    }

    /// The match of B's units to A's from their activities ((samples) × N each, same rows).
    /// Constant units correlate 0 with everything.
    public static func match(_ a: Matrix, _ b: Matrix) -> Match {
        precondition(a.rows == b.rows && a.cols == b.cols, "activities \(a.rows)x\(a.cols) vs \(b.rows)x\(b.cols)")
        let n = a.cols
        var rho = Matrix(rows: n, cols: n)
        Kernels.gemm(standardised(a), standardised(b), into: &rho, transA: true)
        let cost = rho.storage.map { -abs(Double($0)) }
        let partner = Hungarian.assign(cost, n: n)
        let sign = partner.enumerated().map { i, j in rho[i, j] < 0 ? Float(-1) : 1 }
        return Match(partner: partner, sign: sign)
    }

    /// ‖W₁ − P W₂ Pᵀ‖_F / √(‖W₁‖_F ‖W₂‖_F) for row-major N × N matrices, (P W₂ Pᵀ)[i, j] =
    /// s_i s_j W₂[π(i), π(j)]. NaN if either matrix is zero.
    public static func distance<A: RandomAccessCollection, B: RandomAccessCollection>(_ w1: A, _ w2: B, n: Int, match: Match) -> Double
    where A.Element == Float, A.Index == Int, B.Element == Float, B.Index == Int {
        precondition(w1.count == n * n && w2.count == n * n && match.partner.count == n)
        let o1 = w1.startIndex, o2 = w2.startIndex
        var diff = 0.0, n1 = 0.0, n2 = 0.0
        for i in 0..<n {
            let pi = match.partner[i], si = match.sign[i]
            for j in 0..<n {
                let a = w1[o1 + i * n + j], b = w2[o2 + i * n + j]
                let moved = si * match.sign[j] * w2[o2 + pi * n + match.partner[j]]
                let e = Double(a - moved)
                diff += e * e
                n1 += Double(a) * Double(a)
                n2 += Double(b) * Double(b)
            }
        }
        let denom = (n1.squareRoot() * n2.squareRoot()).squareRoot()
        return denom > 0 ? diff.squareRoot() / denom : .nan
    }

    /// Columns centred and scaled to unit norm (so Aᵀ B holds correlations); constant columns 0.
    static func standardised(_ x: Matrix) -> Matrix {
        var out = CKA.centred(x)
        PopulationCCA.normaliseColumns(&out)
        return out
    }
}
