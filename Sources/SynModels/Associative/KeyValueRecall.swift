import SynCore

/// Recall quality of a key-value memory over its N stored items: recall r_j = M φ_j, fidelity
/// cos(r_j, v_j), decoding by the nearest stored value in cosine (Qiao 2025, arXiv 2508.08289).
public struct KeyValueRecall: Sendable, Equatable {
    /// Mean cos(r_j, v_j) over items whose recall is not the zero vector (NaN if none is).
    public var fidelity: Double
    /// Fraction of items decoded as their own value (a zero recall counts as wrong).
    public var accuracy: Double
    /// 1 when every item is decoded correctly, else 0 (the worst-case capacity criterion).
    public var allCorrect: Double

    /// Recalls every row of `features` (N x f) from `memory` (d_v x f) against `values` (N x d_v).
    public init(memory: Matrix, features: Matrix, values: Matrix) {
        let n = features.rows
        var r = features * memory.transposed  // N x d_v
        var v = values
        var defined = [Bool](repeating: true, count: n)
        for j in 0..<n {
            r.withMutableRow(j) { row in
                let norm = row.reduce(Float(0)) { $0 + $1 * $1 }
                if norm == 0 { defined[j] = false }
                KeyFeatures.normalise(row)
            }
            v.withMutableRow(j) { KeyFeatures.normalise($0) }
        }
        let c = r * v.transposed  // N x N cosines
        var fid = 0.0, count = 0, correct = 0
        for j in 0..<n where defined[j] {
            fid += Double(c[j, j])
            count += 1
            var best = 0
            for i in 1..<max(1, n) where c[j, i] > c[j, best] { best = i }
            if best == j { correct += 1 }
        }
        fidelity = count > 0 ? fid / Double(count) : .nan
        accuracy = n > 0 ? Double(correct) / Double(n) : .nan
        allCorrect = correct == n ? 1 : 0
    }

    /// The crosstalk theory for N random unit keys of dimension d_k: cos ≈ 1/√(1 + (N − 1)/d_k).
    public static func theoryFidelity(items: Int, keyDim: Int) -> Double {
        1 / (1 + Double(max(0, items - 1)) / Double(keyDim)).squareRoot()
    }
}
