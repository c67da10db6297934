import SynCore

/// The lateral neurons of one layer in HLOP (Xiao et al., ICLR 2024): rows H (k x n) spanning
/// the principal subspaces of the presynaptic activity of the tasks learned so far. After each
/// task new rows are learned by Oja's subspace rule (`OjaSubspace`, the project's Hebbian rule)
/// on the activity with the stored subspace removed, a⊥ = a − Hᵀ H a, so they converge to an
/// orthonormal basis of the top principal subspace of a⊥: orthogonal to the stored rows, they
/// are appended to H. Later weight updates of the layer are projected off span(H).
public struct LateralSubspace: Sendable {
    /// Presynaptic dimension n.
    public let inputs: Int
    /// Stored rows H, k x n (k = 0 before the first task ends).
    public private(set) var rows: Matrix
    /// max |H Hᵀ − I| after the last Hebbian phase (0 with no rows).
    public private(set) var orthError = 0.0
    /// Second moment of the last task's a⊥ captured by its new rows ÷ that of its best
    /// k-dimensional subspace (NaN before the first phase).
    public private(set) var capture = Double.nan

    public init(inputs: Int) {
        precondition(inputs > 0)
        self.inputs = inputs
        rows = Matrix(rows: 0, cols: inputs)
    }

    /// Lateral neurons stored so far.
    public var count: Int { rows.rows }

    /// v ← v − Hᵀ H v for `n`-vectors at `v` (in place).
    public func deflate(_ v: UnsafeMutablePointer<Float>) {
        let n = inputs
        rows.storage.withUnsafeBufferPointer { hb in
            guard let h = hb.baseAddress else { return }
            for r in 0..<rows.rows {
                let c = RateKernels.dot(h + r * n, UnsafePointer(v), n)
                if c != 0 { RateKernels.axpy(-c, h + r * n, v, n) }
            }
        }
    }

    /// G ← G (I − Hᵀ H) for a row-major `outputs` x n gradient block (each row deflated).
    public func project(_ g: UnsafeMutablePointer<Float>, outputs: Int) {
        guard count > 0 else { return }
        for i in 0..<outputs { deflate(g + i * inputs) }
    }

    /// Learns `newRows` rows for a task whose activity samples are the rows of `activity`
    /// (samples x n): `iterations` Hebbian steps of `batch` samples each, drawn with `rng`, by
    /// Oja's subspace rule at rate η = `eta` / mean |a⊥|² per sample (the rate relative to the
    /// activity's power, so one value suits inputs and hidden layers), then appends them.
    public mutating func learnTask(activity: Matrix, newRows: Int, iterations: Int, batch: Int, eta: Double, rng: inout RNG) {
        let n = inputs
        let k = min(newRows, n - count)
        guard k > 0, activity.rows > 0 else { return }
        var residual = activity
        var power = 0.0
        residual.storage.withUnsafeMutableBufferPointer { rb in
            guard let r = rb.baseAddress else { return }
            for s in 0..<activity.rows {
                deflate(r + s * n)
                power += Double(RateKernels.dot(r + s * n, r + s * n, n))
            }
        }
        power /= Double(activity.rows)
        guard power > 0 else { return }
        var layer = HebbianLayer(inputs: n, outputs: k, rng: &rng)
        // Start from orthonormal rows orthogonal to the stored ones.
        orthonormalize(&layer.weights, against: rows)
        var rule = OjaSubspace(RuleParameterValues(OjaSubspace.parameters, given: [OjaSubspace.eta.key: eta / power]))
        for _ in 0..<(iterations * batch) {
            layer.learn(residual.row(rng.int(below: activity.rows)), rule: &rule)
        }
        capture = Self.captureRatio(layer.weights, residual)
        rows = Matrix(rows: count + k, cols: n, storage: rows.storage + layer.weights.storage)
        orthError = Self.orthonormalityError(rows)
    }

    /// Gram-Schmidt of the rows of `w`, each first made orthogonal to the (orthonormal) rows of
    /// `stored`; a row that vanishes is left at zero.
    func orthonormalize(_ w: inout Matrix, against stored: Matrix) {
        let n = w.cols
        var done = stored
        for i in 0..<w.rows {
            var v = w.row(i)
            for r in 0..<done.rows {
                let c = Kernels.dot(v, done.row(r))
                for j in 0..<n { v[j] -= c * done[r, j] }
            }
            let norm = Kernels.dot(v, v).squareRoot()
            if norm > 1e-6 { for j in 0..<n { v[j] /= norm } } else { v = [Float](repeating: 0, count: n) }
            w.setRow(i, v)
            done = Matrix(rows: done.rows + 1, cols: n, storage: done.storage + v)
        }
    }

    /// max_{ij} |(H Hᵀ − I)_ij|.
    public static func orthonormalityError(_ h: Matrix) -> Double {
        var worst = 0.0
        for i in 0..<h.rows {
            for j in 0..<h.rows {
                let d = Double(Kernels.dot(h.row(i), h.row(j))) - (i == j ? 1 : 0)
                worst = max(worst, abs(d))
            }
        }
        return worst
    }

    /// tr(Q C Qᵀ) / (sum of the top k eigenvalues of C), C = XᵀX / m the second moment of the
    /// samples X (m x n) and Q the orthonormalised rows of `w` (k x n).
    public static func captureRatio(_ w: Matrix, _ x: Matrix) -> Double {
        let n = x.cols, m = x.rows
        var c = [Double](repeating: 0, count: n * n)
        for s in 0..<m {
            for i in 0..<n {
                let xi = Double(x.storage[s * n + i])
                if xi == 0 { continue }
                for j in 0..<n { c[i * n + j] += xi * Double(x.storage[s * n + j]) }
            }
        }
        for i in 0..<(n * n) { c[i] /= Double(max(1, m)) }
        let eig = SymmetricEigen.eigenvalues(c, n: n).sorted(by: >)
        let best = eig.prefix(w.rows).reduce(0, +)
        var q = w
        let empty = Matrix(rows: 0, cols: n)
        LateralSubspace(inputs: n).orthonormalize(&q, against: empty)
        var captured = 0.0
        for r in 0..<q.rows {
            let v = q.row(r).map(Double.init)
            for i in 0..<n where v[i] != 0 {
                var ci = 0.0
                for j in 0..<n { ci += c[i * n + j] * v[j] }
                captured += v[i] * ci
            }
        }
        return best > 0 ? captured / best : .nan
    }
}
