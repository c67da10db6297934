import SynCore

/// How a key k ∈ R^{d_k} is presented to a key-value memory: as itself (dense, linear
/// attention) or as a sparse positive code φ(k) = ReLU(k E − θ) over N neurons (BDH-lite,
/// Kosowski et al. 2025, arXiv 2509.26507), E ∈ R^{d_k x N} fixed with entries N(0, 1/d_k) and θ
/// the quantile of k E over random unit keys that leaves a fraction `activeFraction` active.
public struct KeyFeatures: Sendable {
    /// Key dimension d_k.
    public let keyDim: Int
    /// Feature dimension f: d_k (dense) or N (sparse).
    public let dim: Int
    /// The encoder E (d_k x N), nil for dense keys.
    public let encoder: Matrix?
    /// Threshold θ of the sparse code (0 for dense keys).
    public let threshold: Float

    /// Dense features φ(k) = k.
    public init(dense keyDim: Int) {
        self.keyDim = keyDim
        dim = keyDim
        encoder = nil
        threshold = 0
    }

    /// Sparse positive features over `neurons` units with about `activeFraction` of them active;
    /// θ is set from 256 random unit keys drawn from `rng`.
    public init(sparse keyDim: Int, neurons: Int, activeFraction: Double, rng: inout RNG) {
        precondition(keyDim > 0 && neurons > 0 && activeFraction > 0 && activeFraction < 1)
        self.keyDim = keyDim
        dim = neurons
        let sd = 1 / Float(keyDim).squareRoot()
        let e = Matrix(rows: keyDim, cols: neurons) { _, _ in rng.normal() * sd }
        encoder = e
        let probe = KeyFeatures.randomUnitRows(256, keyDim, rng: &rng)
        var pre = (probe * e).storage
        pre.sort()
        let q = Int((Double(pre.count) * (1 - activeFraction)).rounded(.down))
        threshold = pre[min(pre.count - 1, max(0, q))]
    }

    /// φ of every row of `keys` (P x d_k) as a P x f matrix.
    public func callAsFunction(_ keys: Matrix) -> Matrix {
        guard let e = encoder else { return keys }
        var f = keys * e
        for i in f.storage.indices { f.storage[i] = max(0, f.storage[i] - threshold) }
        return f
    }

    /// `rows` independent uniformly random unit vectors of dimension `dim` (normalised Gaussians).
    public static func randomUnitRows(_ rows: Int, _ dim: Int, rng: inout RNG) -> Matrix {
        var m = Matrix(rows: rows, cols: dim) { _, _ in rng.normal() }
        for r in 0..<rows { m.withMutableRow(r) { normalise($0) } }
        return m
    }

    /// `rows` unit vectors of dimension `dim`, orthonormal within each consecutive block of `dim`
    /// rows (Gram–Schmidt of Gaussians): exactly orthogonal keys while rows ≤ dim.
    public static func orthonormalRows(_ rows: Int, _ dim: Int, rng: inout RNG) -> Matrix {
        var m = randomUnitRows(rows, dim, rng: &rng)
        for r in 0..<rows {
            let start = (r / dim) * dim
            for s in start..<r {
                var d: Float = 0
                for c in 0..<dim { d += m[r, c] * m[s, c] }
                for c in 0..<dim { m.storage[r * dim + c] -= d * m[s, c] }
            }
            m.withMutableRow(r) { normalise($0) }
        }
        return m
    }

    static func normalise(_ v: UnsafeMutableBufferPointer<Float>) {
        let n = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        guard n > 0 else { return }
        for i in v.indices { v[i] /= n }
    }
}
