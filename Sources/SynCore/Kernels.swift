/// Dense BLAS-like kernels on `Matrix` and `[Float]`.
///
/// Reference implementations; see `bench kernels` for throughput. All kernels accept any shape
/// (including empty and odd sizes) and never allocate when writing into an existing buffer.
public enum Kernels {
    /// Dot product sum_i x_i y_i.
    @inlinable public static func dot(_ x: [Float], _ y: [Float]) -> Float {
        precondition(x.count == y.count)
        var s: Float = 0
        for i in 0..<x.count { s += x[i] * y[i] }
        return s
    }

    /// y <- alpha * x + y.
    @inlinable public static func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) {
        precondition(x.count == y.count)
        for i in 0..<x.count { y[i] += alpha * x[i] }
    }

    /// y <- alpha * A x + beta * y   (A is rows x cols, x has cols entries, y has rows).
    public static func gemv(_ a: Matrix, _ x: [Float], into y: inout [Float], alpha: Float = 1, beta: Float = 0) {
        precondition(x.count == a.cols && y.count == a.rows)
        for r in 0..<a.rows {
            var s: Float = 0
            for c in 0..<a.cols { s += a.storage[r * a.cols + c] * x[c] }
            y[r] = alpha * s + (beta == 0 ? 0 : beta * y[r])
        }
    }

    /// y <- alpha * A^T x + beta * y   (x has rows entries, y has cols).
    public static func gemvT(_ a: Matrix, _ x: [Float], into y: inout [Float], alpha: Float = 1, beta: Float = 0) {
        precondition(x.count == a.rows && y.count == a.cols)
        if beta == 0 { for i in 0..<y.count { y[i] = 0 } } else if beta != 1 { for i in 0..<y.count { y[i] *= beta } }
        for r in 0..<a.rows {
            let xr = alpha * x[r]
            for c in 0..<a.cols { y[c] += xr * a.storage[r * a.cols + c] }
        }
    }

    /// A <- A + alpha * x y^T   (rank-1 update; x has rows entries, y has cols).
    public static func ger(_ alpha: Float, _ x: [Float], _ y: [Float], _ a: inout Matrix) {
        precondition(x.count == a.rows && y.count == a.cols)
        for r in 0..<a.rows {
            let xr = alpha * x[r]
            for c in 0..<a.cols { a.storage[r * a.cols + c] += xr * y[c] }
        }
    }

    /// C <- alpha * op(A) op(B) + beta * C, op(X) = X or X^T (`transA`, `transB`).
    public static func gemm(_ a: Matrix, _ b: Matrix, into c: inout Matrix, alpha: Float = 1, beta: Float = 0,
                            transA: Bool = false, transB: Bool = false) {
        let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols
        let kb = transB ? b.cols : b.rows, n = transB ? b.rows : b.cols
        precondition(k == kb && c.rows == m && c.cols == n, "gemm shape mismatch")
        for i in 0..<m {
            for j in 0..<n { c.storage[i * n + j] = beta == 0 ? 0 : beta * c.storage[i * n + j] }
            for p in 0..<k {
                let aip = alpha * (transA ? a.storage[p * a.cols + i] : a.storage[i * a.cols + p])
                for j in 0..<n {
                    c.storage[i * n + j] += aip * (transB ? b.storage[j * b.cols + p] : b.storage[p * b.cols + j])
                }
            }
        }
    }
}
