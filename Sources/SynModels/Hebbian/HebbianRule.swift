import SynCore

/// Local Hebbian learning rules for a linear layer y = W x (W is outputs x inputs).
///
/// Symbols: x_j input j (data units), y_i = sum_j w_ij x_j output i, eta learning rate (per
/// sample, dimensionless). Each update uses only pre- (x) and postsynaptic (y) activity plus,
/// for the normalising rules, a decay proportional to y.
public enum HebbianRule: String, Sendable, CaseIterable {
    /// Plain Hebb: Delta w_ij = eta y_i x_j. The weight norm grows without bound (it aligns
    /// with the first principal component while exploding): the reason Oja added a decay.
    case hebb
    /// Oja (1982): Delta w_ij = eta y_i (x_j - y_i w_ij). Each unit converges to the unit-norm
    /// leading eigenvector of the input covariance (all units to the same one).
    case oja
    /// Oja's subspace rule (1989): Delta W = eta (y x^T - y y^T W). The rows converge to an
    /// orthonormal basis of the top-k principal subspace, in no particular rotation.
    case subspace
    /// Sanger's generalized Hebbian algorithm (1989): Delta w_ij = eta y_i (x_j - sum_{k<=i} y_k w_kj).
    /// Row i converges to the i-th principal component, in order.
    case sanger

    /// The update equation shown in the teaching panel.
    public var equation: String {
        switch self {
        case .hebb: "Δw_ij = η · y_i · x_j        (y = W x; no decay: |w| grows)"
        case .oja: "Δw_ij = η · y_i · (x_j − y_i · w_ij)        (y = W x)"
        case .subspace: "ΔW = η · (y xᵀ − y yᵀ W)        (y = W x)"
        case .sanger: "Δw_ij = η · y_i · (x_j − Σ_{k≤i} y_k · w_kj)        (y = W x)"
        }
    }

    /// Applies one update for sample `x` in place. `y` receives W x (before the update);
    /// `scratch` must hold `inputs` floats (reused, no allocation).
    public func update(_ w: inout Matrix, x: [Float], y: inout [Float], scratch: inout [Float], eta: Float) {
        let n = w.cols
        Kernels.gemv(w, x, into: &y)
        switch self {
        case .hebb:
            Kernels.ger(eta, y, x, &w)
        case .oja:
            w.storage.withUnsafeMutableBufferPointer { wp in
                for i in 0..<w.rows {
                    let yi = y[i]
                    let row = wp.baseAddress! + i * n
                    for j in 0..<n { row[j] += eta * yi * (x[j] - yi * row[j]) }
                }
            }
        case .subspace:
            // scratch = W^T y  (the reconstruction of x from all outputs)
            Kernels.gemvT(w, y, into: &scratch)
            w.storage.withUnsafeMutableBufferPointer { wp in
                for i in 0..<w.rows {
                    let yi = eta * y[i]
                    let row = wp.baseAddress! + i * n
                    for j in 0..<n { row[j] += yi * (x[j] - scratch[j]) }
                }
            }
        case .sanger:
            // Running reconstruction from units 0...i: r_j = sum_{k<=i} y_k w_kj, with the
            // rows used before their own update (the usual simultaneous form).
            for j in 0..<n { scratch[j] = 0 }
            w.storage.withUnsafeMutableBufferPointer { wp in
                for i in 0..<w.rows {
                    let yi = y[i]
                    let row = wp.baseAddress! + i * n
                    for j in 0..<n { scratch[j] += yi * row[j] }
                    let a = eta * yi
                    for j in 0..<n { row[j] += a * (x[j] - scratch[j]) }
                }
            }
        }
    }
}
