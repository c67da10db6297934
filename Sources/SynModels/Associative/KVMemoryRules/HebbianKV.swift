import SynCore

/// Hebbian key-value storage, the state of linear attention (Qiao 2025, arXiv 2508.08289):
///
///     M = Σ_i v_i φ_iᵀ        (d_v x f; recall r = M φ(q))
///
/// Keys φ_i and values v_i dimensionless (unit vectors in the scenes). Recalling item j gives
/// v_j plus crosstalk Σ_{i≠j} (φ_i·φ_j) v_i, of variance ≈ (N − 1)/d_k for random unit keys.
public struct HebbianKV: KVMemoryLearningRule {
    public static let name = "hebb_kv"
    public static let summary = "Hebbian outer-product store M = Σ v kᵀ (linear attention; Qiao 2025): fidelity ≈ 1/√(1 + (N−1)/d_k)"
    public static let parameters: [RuleParameter] = []

    public init(_ values: RuleParameterValues) {}
    public init() {}

    public var equation: String { "M = sum_i v_i k_i^T;  r = M q" }

    public func store(keys: Matrix, values: Matrix, into memory: inout Matrix, rng: inout RNG) {
        precondition(keys.rows == values.rows && memory.rows == values.cols && memory.cols == keys.cols)
        let p = keys.rows, dv = values.cols, f = keys.cols
        memory.storage.withUnsafeMutableBufferPointer { mb in
            values.storage.withUnsafeBufferPointer { vb in
                keys.storage.withUnsafeBufferPointer { kb in
                    guard let m = mb.baseAddress, let v = vb.baseAddress, let k = kb.baseAddress else { return }
                    // M (dv x f) = Vᵀ (dv x P) K (P x f).
                    Gemm.sgemm(m: dv, n: f, k: p, alpha: 1, a: v, lda: dv, transA: true,
                               b: k, ldb: f, transB: false, beta: 0, c: m, ldc: f)
                }
            }
        }
    }
}
