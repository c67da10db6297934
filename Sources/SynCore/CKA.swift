/// Linear centred kernel alignment (Kornblith et al. 2019): the similarity of two
/// representations of the same n samples, X (n × p) and Y (n × q), rows = samples,
///
///     CKA(X, Y) = ‖Yᵀ X‖²_F / (‖Xᵀ X‖_F ‖Yᵀ Y‖_F),   X, Y column-centred,
///
/// in [0, 1], 1 for X = Y, invariant to orthogonal transforms and isotropic scaling of either
/// representation (not to arbitrary invertible maps). NaN when either is constant over samples.
public enum CKA {
    /// Linear CKA of X and Y (same number of rows).
    public static func linear(_ x: Matrix, _ y: Matrix) -> Double {
        precondition(x.rows == y.rows, "CKA: \(x.rows) vs \(y.rows) samples")
        let cx = centred(x), cy = centred(y)
        let xy = frobeniusSquared(cross(cy, cx))
        let denom = frobeniusSquared(cross(cx, cx)).squareRoot() * frobeniusSquared(cross(cy, cy)).squareRoot()
        return denom > 0 ? xy / denom : .nan
    }

    /// The symmetric matrix of linear CKA between every pair of `layers` (row-major, count²
    /// entries, 1 on the diagonal for non-constant layers). Each layer is centred and its
    /// self-norm computed once.
    public static func matrix(_ layers: [Matrix]) -> [Double] {
        let k = layers.count
        let c = layers.map(centred)
        let selfNorm = c.map { frobeniusSquared(cross($0, $0)).squareRoot() }
        var out = [Double](repeating: .nan, count: k * k)
        for i in 0..<k {
            precondition(layers[i].rows == layers[0].rows, "CKA: layers differ in samples")
            for j in i..<k {
                let d = selfNorm[i] * selfNorm[j]
                let v = d > 0 ? (i == j ? 1 : frobeniusSquared(cross(c[j], c[i])) / d) : .nan
                out[i * k + j] = v
                out[j * k + i] = v
            }
        }
        return out
    }

    /// X with each column's mean (over rows) subtracted.
    public static func centred(_ x: Matrix) -> Matrix {
        var out = x
        guard x.rows > 0 else { return out }
        for c in 0..<x.cols {
            var s = 0.0
            for r in 0..<x.rows { s += Double(x[r, c]) }
            let m = Float(s / Double(x.rows))
            for r in 0..<x.rows { out.storage[r * x.cols + c] -= m }
        }
        return out
    }

    /// Aᵀ B (a.cols × b.cols) for matrices with the same rows.
    static func cross(_ a: Matrix, _ b: Matrix) -> Matrix {
        var out = Matrix(rows: a.cols, cols: b.cols)
        Kernels.gemm(a, b, into: &out, transA: true)
        return out
    }

    /// ‖A‖²_F in Double.
    static func frobeniusSquared(_ a: Matrix) -> Double {
        var s = 0.0
        for v in a.storage { s += Double(v) * Double(v) }
        return s
    }
}
