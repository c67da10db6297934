/// Dense BLAS-like kernels on `Matrix`, `[Float]`, `MatrixView` and raw pointers.
///
/// Every kernel has a raw-pointer form (for slices, views and buffers owned by models) and an
/// array/`Matrix` convenience form that forwards to it. Inner loops run on SIMD8<Float> with
/// fused multiply-add where the build allows it (see `fmadd`); `gemm` is the packed, blocked
/// SGEMM in `Gemm.swift`. All kernels accept any shape (including empty and odd sizes) and never
/// allocate when writing into an existing buffer (`gemm` packs into a per-thread workspace that is
/// allocated once). Results are deterministic: summation order depends only on the sizes, never
/// on timing or alignment.
/// Throughput: `synaptop bench kernels`.
public enum Kernels {
    @usableFromInline typealias V = SIMD8<Float>

    @inline(__always) @usableFromInline
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) @usableFromInline
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    // MARK: Level 1, raw pointers

    /// Dot product sum_i x_i y_i over `n` entries.
    public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        var s0 = V(), s1 = V(), s2 = V(), s3 = V()
        var i = 0
        while i + 32 <= n {
            s0 = fmadd(s0, load(x + i), load(y + i))
            s1 = fmadd(s1, load(x + i + 8), load(y + i + 8))
            s2 = fmadd(s2, load(x + i + 16), load(y + i + 16))
            s3 = fmadd(s3, load(x + i + 24), load(y + i + 24))
            i += 32
        }
        while i + 8 <= n {
            s0 = fmadd(s0, load(x + i), load(y + i))
            i += 8
        }
        var s = ((s0 + s1) + (s2 + s3)).sum()
        while i < n {
            s += x[i] * y[i]
            i += 1
        }
        return s
    }

    /// y <- alpha * x + y over `n` entries.
    public static func axpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let av = V(repeating: alpha)
        var i = 0
        while i + 16 <= n {
            store(fmadd(load(y + i), av, load(x + i)), y + i)
            store(fmadd(load(y + i + 8), av, load(x + i + 8)), y + i + 8)
            i += 16
        }
        while i + 8 <= n {
            store(fmadd(load(y + i), av, load(x + i)), y + i)
            i += 8
        }
        while i < n {
            y[i] += alpha * x[i]
            i += 1
        }
    }

    /// x <- alpha * x over `n` entries.
    public static func scale(_ n: Int, _ alpha: Float, _ x: UnsafeMutablePointer<Float>) {
        let av = V(repeating: alpha)
        var i = 0
        while i + 8 <= n {
            store(load(x + i) * av, x + i)
            i += 8
        }
        while i < n {
            x[i] *= alpha
            i += 1
        }
    }

    /// z <- x + y over `n` entries (z may alias x or y).
    public static func add(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 8 <= n {
            store(load(x + i) + load(y + i), z + i)
            i += 8
        }
        while i < n {
            z[i] = x[i] + y[i]
            i += 1
        }
    }

    /// z <- x - y over `n` entries (z may alias x or y).
    public static func subtract(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 8 <= n {
            store(load(x + i) - load(y + i), z + i)
            i += 8
        }
        while i < n {
            z[i] = x[i] - y[i]
            i += 1
        }
    }

    /// z <- x .* y (element-wise product) over `n` entries (z may alias x or y).
    public static func hadamard(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 8 <= n {
            store(load(x + i) * load(y + i), z + i)
            i += 8
        }
        while i < n {
            z[i] = x[i] * y[i]
            i += 1
        }
    }

    /// Sum of `n` entries (8-lane partial sums, then a fixed-order reduction).
    public static func sum(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
        var s0 = V(), s1 = V()
        var i = 0
        while i + 16 <= n {
            s0 += load(x + i)
            s1 += load(x + i + 8)
            i += 16
        }
        while i + 8 <= n {
            s0 += load(x + i)
            i += 8
        }
        var s = (s0 + s1).sum()
        while i < n {
            s += x[i]
            i += 1
        }
        return s
    }

    // MARK: Level 1, arrays

    /// Dot product sum_i x_i y_i.
    public static func dot(_ x: [Float], _ y: [Float]) -> Float {
        precondition(x.count == y.count, "dot: \(x.count) vs \(y.count) entries")
        return x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                guard let xb = xp.baseAddress, let yb = yp.baseAddress else { return 0 }
                return dot(x.count, xb, yb)
            }
        }
    }

    /// y <- alpha * x + y.
    public static func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) {
        precondition(x.count == y.count, "axpy: \(x.count) vs \(y.count) entries")
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                guard let xb = xp.baseAddress, let yb = yp.baseAddress else { return }
                axpy(xp.count, alpha, xb, yb)
            }
        }
    }

    /// x <- alpha * x.
    public static func scale(_ alpha: Float, _ x: inout [Float]) {
        x.withUnsafeMutableBufferPointer { xp in
            guard let xb = xp.baseAddress else { return }
            scale(xp.count, alpha, xb)
        }
    }

    /// z <- x + y.
    public static func add(_ x: [Float], _ y: [Float], into z: inout [Float]) {
        binary(x, y, &z, "add", add)
    }

    /// z <- x - y.
    public static func subtract(_ x: [Float], _ y: [Float], into z: inout [Float]) {
        binary(x, y, &z, "subtract", subtract)
    }

    /// z <- x .* y (element-wise product).
    public static func hadamard(_ x: [Float], _ y: [Float], into z: inout [Float]) {
        binary(x, y, &z, "hadamard", hadamard)
    }

    /// Sum of the entries.
    public static func sum(_ x: [Float]) -> Float {
        x.withUnsafeBufferPointer { xp in
            guard let xb = xp.baseAddress else { return 0 }
            return sum(xp.count, xb)
        }
    }

    /// y_i <- f(x_i) (element-wise map into an existing buffer; `y` may be `x` itself via
    /// `map(&x, f)`).
    @inlinable public static func map(_ x: [Float], into y: inout [Float], _ f: (Float) -> Float) {
        precondition(x.count == y.count, "map: \(x.count) vs \(y.count) entries")
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                for i in 0..<xp.count { yp[i] = f(xp[i]) }
            }
        }
    }

    /// x_i <- f(x_i) in place.
    @inlinable public static func map(_ x: inout [Float], _ f: (Float) -> Float) {
        x.withUnsafeMutableBufferPointer { xp in
            for i in 0..<xp.count { xp[i] = f(xp[i]) }
        }
    }

    static func binary(_ x: [Float], _ y: [Float], _ z: inout [Float], _ name: String,
                       _ op: (Int, UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        precondition(x.count == y.count && y.count == z.count, "\(name): \(x.count), \(y.count), \(z.count) entries")
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                z.withUnsafeMutableBufferPointer { zp in
                    guard let xb = xp.baseAddress, let yb = yp.baseAddress, let zb = zp.baseAddress else { return }
                    op(xp.count, xb, yb, zb)
                }
            }
        }
    }

    // MARK: Level 2, raw pointers

    /// y <- alpha * A x + beta * y, A `rows x cols` row-major with row stride `lda` (>= cols).
    /// With beta == 0, y is not read.
    public static func gemv(rows: Int, cols: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        var r = 0
        // Eight rows at a time share each load of x (eight independent streams of A).
        while r + 8 <= rows {
            let a0 = a + r * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
            let a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda
            var s0 = V(), s1 = V(), s2 = V(), s3 = V(), s4 = V(), s5 = V(), s6 = V(), s7 = V()
            var c = 0
            while c + 8 <= cols {
                let xv = load(x + c)
                s0 = fmadd(s0, load(a0 + c), xv); s1 = fmadd(s1, load(a1 + c), xv)
                s2 = fmadd(s2, load(a2 + c), xv); s3 = fmadd(s3, load(a3 + c), xv)
                s4 = fmadd(s4, load(a4 + c), xv); s5 = fmadd(s5, load(a5 + c), xv)
                s6 = fmadd(s6, load(a6 + c), xv); s7 = fmadd(s7, load(a7 + c), xv)
                c += 8
            }
            var d = SIMD8<Float>(s0.sum(), s1.sum(), s2.sum(), s3.sum(), s4.sum(), s5.sum(), s6.sum(), s7.sum())
            while c < cols {
                let xc = x[c]
                d[0] += a0[c] * xc; d[1] += a1[c] * xc; d[2] += a2[c] * xc; d[3] += a3[c] * xc
                d[4] += a4[c] * xc; d[5] += a5[c] * xc; d[6] += a6[c] * xc; d[7] += a7[c] * xc
                c += 1
            }
            let av = V(repeating: alpha)
            if beta == 0 {
                store(av * d, y + r)
            } else {
                store(fmadd(av * d, V(repeating: beta), load(y + r)), y + r)
            }
            r += 8
        }
        // Then four rows at a time.
        while r + 4 <= rows {
            let a0 = a + r * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
            var s0 = V(), s1 = V(), s2 = V(), s3 = V()
            var t0 = V(), t1 = V(), t2 = V(), t3 = V()
            var c = 0
            while c + 16 <= cols {
                let xv = load(x + c), xw = load(x + c + 8)
                s0 = fmadd(s0, load(a0 + c), xv); t0 = fmadd(t0, load(a0 + c + 8), xw)
                s1 = fmadd(s1, load(a1 + c), xv); t1 = fmadd(t1, load(a1 + c + 8), xw)
                s2 = fmadd(s2, load(a2 + c), xv); t2 = fmadd(t2, load(a2 + c + 8), xw)
                s3 = fmadd(s3, load(a3 + c), xv); t3 = fmadd(t3, load(a3 + c + 8), xw)
                c += 16
            }
            if c + 8 <= cols {
                let xv = load(x + c)
                s0 = fmadd(s0, load(a0 + c), xv)
                s1 = fmadd(s1, load(a1 + c), xv)
                s2 = fmadd(s2, load(a2 + c), xv)
                s3 = fmadd(s3, load(a3 + c), xv)
                c += 8
            }
            var d0 = (s0 + t0).sum(), d1 = (s1 + t1).sum(), d2 = (s2 + t2).sum(), d3 = (s3 + t3).sum()
            while c < cols {
                let xc = x[c]
                d0 += a0[c] * xc; d1 += a1[c] * xc; d2 += a2[c] * xc; d3 += a3[c] * xc
                c += 1
            }
            if beta == 0 {
                y[r] = alpha * d0; y[r + 1] = alpha * d1; y[r + 2] = alpha * d2; y[r + 3] = alpha * d3
            } else {
                y[r] = alpha * d0 + beta * y[r]; y[r + 1] = alpha * d1 + beta * y[r + 1]
                y[r + 2] = alpha * d2 + beta * y[r + 2]; y[r + 3] = alpha * d3 + beta * y[r + 3]
            }
            r += 4
        }
        while r < rows {
            let d = dot(cols, a + r * lda, x)
            y[r] = beta == 0 ? alpha * d : alpha * d + beta * y[r]
            r += 1
        }
    }

    /// y <- alpha * A^T x + beta * y, A `rows x cols` row-major with row stride `lda`; x has
    /// `rows` entries and y `cols`. With beta == 0, y is not read.
    public static func gemvT(rows: Int, cols: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                             x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        if beta == 0 { y.update(repeating: 0, count: cols) } else if beta != 1 { scale(cols, beta, y) }
        var r = 0
        // Eight rows at a time: one load/store of y per eight rows.
        while r + 8 <= rows {
            let a0 = a + r * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
            let a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda
            let x0 = alpha * x[r], x1 = alpha * x[r + 1], x2 = alpha * x[r + 2], x3 = alpha * x[r + 3]
            let x4 = alpha * x[r + 4], x5 = alpha * x[r + 5], x6 = alpha * x[r + 6], x7 = alpha * x[r + 7]
            let v0 = V(repeating: x0), v1 = V(repeating: x1), v2 = V(repeating: x2), v3 = V(repeating: x3)
            let v4 = V(repeating: x4), v5 = V(repeating: x5), v6 = V(repeating: x6), v7 = V(repeating: x7)
            var c = 0
            while c + 8 <= cols {
                var acc = load(y + c)
                var acc2 = fmadd(fmadd(V(), v4, load(a4 + c)), v5, load(a5 + c))
                acc = fmadd(acc, v0, load(a0 + c))
                acc2 = fmadd(acc2, v6, load(a6 + c))
                acc = fmadd(acc, v1, load(a1 + c))
                acc2 = fmadd(acc2, v7, load(a7 + c))
                acc = fmadd(acc, v2, load(a2 + c))
                acc = fmadd(acc, v3, load(a3 + c))
                store(acc + acc2, y + c)
                c += 8
            }
            while c < cols {
                y[c] += (x0 * a0[c] + x1 * a1[c] + x2 * a2[c] + x3 * a3[c]) + (x4 * a4[c] + x5 * a5[c] + x6 * a6[c] + x7 * a7[c])
                c += 1
            }
            r += 8
        }
        // Then four rows at a time.
        while r + 4 <= rows {
            let a0 = a + r * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
            let x0 = alpha * x[r], x1 = alpha * x[r + 1], x2 = alpha * x[r + 2], x3 = alpha * x[r + 3]
            let v0 = V(repeating: x0), v1 = V(repeating: x1), v2 = V(repeating: x2), v3 = V(repeating: x3)
            var c = 0
            while c + 8 <= cols {
                var acc = load(y + c)
                acc = fmadd(acc, v0, load(a0 + c))
                acc = fmadd(acc, v1, load(a1 + c))
                acc = fmadd(acc, v2, load(a2 + c))
                acc = fmadd(acc, v3, load(a3 + c))
                store(acc, y + c)
                c += 8
            }
            while c < cols {
                y[c] += x0 * a0[c] + x1 * a1[c] + x2 * a2[c] + x3 * a3[c]
                c += 1
            }
            r += 4
        }
        while r < rows {
            axpy(cols, alpha * x[r], a + r * lda, y)
            r += 1
        }
    }

    /// A <- A + alpha * x y^T (rank-1 update), A `rows x cols` with row stride `lda`.
    public static func ger(rows: Int, cols: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                           a: UnsafeMutablePointer<Float>, lda: Int) {
        for r in 0..<rows {
            let xr = alpha * x[r]
            if xr != 0 { axpy(cols, xr, y, a + r * lda) }
        }
    }

    /// y <- alpha * A x + beta * y for a dense `rows x cols` buffer (row stride `cols`).
    public static func gemv(rows: Int, cols: Int, alpha: Float = 1, a: UnsafePointer<Float>,
                            x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        gemv(rows: rows, cols: cols, alpha: alpha, a: a, lda: cols, x: x, beta: beta, y: y)
    }

    /// y <- alpha * A^T x + beta * y for a dense `rows x cols` buffer (row stride `cols`).
    public static func gemvT(rows: Int, cols: Int, alpha: Float = 1, a: UnsafePointer<Float>,
                             x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        gemvT(rows: rows, cols: cols, alpha: alpha, a: a, lda: cols, x: x, beta: beta, y: y)
    }

    /// A <- A + alpha * x y^T for a dense `rows x cols` buffer (row stride `cols`).
    public static func ger(rows: Int, cols: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                           a: UnsafeMutablePointer<Float>) {
        ger(rows: rows, cols: cols, alpha: alpha, x: x, y: y, a: a, lda: cols)
    }

    // MARK: Level 2 and 3, Matrix

    /// y <- alpha * A x + beta * y   (A is rows x cols, x has cols entries, y has rows).
    public static func gemv(_ a: Matrix, _ x: [Float], into y: inout [Float], alpha: Float = 1, beta: Float = 0) {
        precondition(x.count == a.cols && y.count == a.rows, "gemv: A \(a.rows)x\(a.cols), x \(x.count), y \(y.count)")
        guard a.rows > 0 else { return }
        a.storage.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    guard let yb = yp.baseAddress else { return }
                    guard let ab = ap.baseAddress, let xb = xp.baseAddress else {
                        // cols == 0: A x is the zero vector.
                        for i in 0..<yp.count { yb[i] = beta == 0 ? 0 : beta * yb[i] }
                        return
                    }
                    gemv(rows: a.rows, cols: a.cols, alpha: alpha, a: ab, lda: a.cols, x: xb, beta: beta, y: yb)
                }
            }
        }
    }

    /// y <- alpha * A^T x + beta * y   (x has rows entries, y has cols).
    public static func gemvT(_ a: Matrix, _ x: [Float], into y: inout [Float], alpha: Float = 1, beta: Float = 0) {
        precondition(x.count == a.rows && y.count == a.cols, "gemvT: A \(a.rows)x\(a.cols), x \(x.count), y \(y.count)")
        guard a.cols > 0 else { return }
        a.storage.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    guard let yb = yp.baseAddress else { return }
                    guard let ab = ap.baseAddress, let xb = xp.baseAddress else {
                        // rows == 0: A^T x is the zero vector.
                        for i in 0..<yp.count { yb[i] = beta == 0 ? 0 : beta * yb[i] }
                        return
                    }
                    gemvT(rows: a.rows, cols: a.cols, alpha: alpha, a: ab, lda: a.cols, x: xb, beta: beta, y: yb)
                }
            }
        }
    }

    /// A <- A + alpha * x y^T   (rank-1 update; x has rows entries, y has cols).
    public static func ger(_ alpha: Float, _ x: [Float], _ y: [Float], _ a: inout Matrix) {
        precondition(x.count == a.rows && y.count == a.cols, "ger: A \(a.rows)x\(a.cols), x \(x.count), y \(y.count)")
        let rows = a.rows, cols = a.cols
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                a.storage.withUnsafeMutableBufferPointer { ap in
                    guard let xb = xp.baseAddress, let yb = yp.baseAddress, let ab = ap.baseAddress else { return }
                    ger(rows: rows, cols: cols, alpha: alpha, x: xb, y: yb, a: ab, lda: cols)
                }
            }
        }
    }

    /// C <- alpha * op(A) op(B) + beta * C, op(X) = X or X^T (`transA`, `transB`).
    /// With beta == 0, C is not read. See `Gemm` for the algorithm.
    public static func gemm(_ a: Matrix, _ b: Matrix, into c: inout Matrix, alpha: Float = 1, beta: Float = 0,
                            transA: Bool = false, transB: Bool = false) {
        let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols
        let kb = transB ? b.cols : b.rows, n = transB ? b.rows : b.cols
        precondition(k == kb && c.rows == m && c.cols == n,
                     "gemm: op(A) \(m)x\(k), op(B) \(kb)x\(n), C \(c.rows)x\(c.cols)")
        guard m > 0, n > 0 else { return }
        let lda = a.cols, ldb = b.cols, ldc = c.cols
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    guard let cb = cp.baseAddress else { return }
                    guard let ab = ap.baseAddress, let bb = bp.baseAddress else {
                        // k == 0: op(A) op(B) is the zero matrix.
                        Gemm.scaleC(m: m, n: n, beta: beta, c: cb, ldc: ldc)
                        return
                    }
                    Gemm.sgemm(m: m, n: n, k: k, alpha: alpha, a: ab, lda: lda, transA: transA,
                               b: bb, ldb: ldb, transB: transB, beta: beta, c: cb, ldc: ldc)
                }
            }
        }
    }

    // MARK: Views

    /// y <- alpha * A x + beta * y on a view (x has `a.cols` entries, y `a.rows`).
    public static func gemv(_ a: MatrixView, x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                            alpha: Float = 1, beta: Float = 0) {
        gemv(rows: a.rows, cols: a.cols, alpha: alpha, a: a.base, lda: a.stride, x: x, beta: beta, y: y)
    }

    /// y <- alpha * A^T x + beta * y on a view (x has `a.rows` entries, y `a.cols`).
    public static func gemvT(_ a: MatrixView, x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                             alpha: Float = 1, beta: Float = 0) {
        gemvT(rows: a.rows, cols: a.cols, alpha: alpha, a: a.base, lda: a.stride, x: x, beta: beta, y: y)
    }

    /// A <- A + alpha * x y^T on a writable view.
    public static func ger(_ alpha: Float, x: UnsafePointer<Float>, y: UnsafePointer<Float>, _ a: MutableMatrixView) {
        ger(rows: a.rows, cols: a.cols, alpha: alpha, x: x, y: y, a: a.base, lda: a.stride)
    }

    /// C <- alpha * op(A) op(B) + beta * C on views (C must not overlap A or B).
    public static func gemm(_ a: MatrixView, _ b: MatrixView, into c: MutableMatrixView, alpha: Float = 1, beta: Float = 0,
                            transA: Bool = false, transB: Bool = false) {
        let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols
        let kb = transB ? b.cols : b.rows, n = transB ? b.rows : b.cols
        precondition(k == kb && c.rows == m && c.cols == n,
                     "gemm: op(A) \(m)x\(k), op(B) \(kb)x\(n), C \(c.rows)x\(c.cols)")
        Gemm.sgemm(m: m, n: n, k: k, alpha: alpha, a: a.base, lda: a.stride, transA: transA,
                   b: b.base, ldb: b.stride, transB: transB, beta: beta, c: c.base, ldc: c.stride)
    }
}
