import SynCore

/// Row-major matrix products on whole arrays for the deep E-I network's blocks (all T·B rows of
/// a layer at once, one `Gemm` call instead of a loop over samples):
///
///     C[cOffset…] = α op(A) op(B) + β C,   op(A) m x k, op(B) k x n, C m x n
///
/// with op(X) = Xᵀ when `transX` (X then stored k x m or n x k).
enum BlockProduct {
    static func gemm(_ c: inout [Float], _ a: [Float], transA: Bool = false, _ b: [Float], transB: Bool = false,
                     m: Int, n: Int, k: Int, aOffset: Int = 0, bOffset: Int = 0, alpha: Float = 1, beta: Float = 0) {
        precondition(c.count >= m * n && a.count >= aOffset + m * k && b.count >= bOffset + k * n)
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                c.withUnsafeMutableBufferPointer { cb in
                    guard let ap = ab.baseAddress, let bp = bb.baseAddress, let cp = cb.baseAddress else { return }
                    Gemm.sgemm(m: m, n: n, k: k, alpha: alpha, a: ap + aOffset, lda: transA ? m : k, transA: transA,
                               b: bp + bOffset, ldb: transB ? k : n, transB: transB, beta: beta, c: cp, ldc: n)
                }
            }
        }
    }

    /// Column sums of a rows x n block, added into `into` at `offset`.
    static func addColumnSums(_ x: [Float], rows: Int, cols n: Int, into g: inout [Float], offset: Int) {
        for r in 0..<rows {
            let o = r * n
            for j in 0..<n { g[offset + j] += x[o + j] }
        }
    }
}
