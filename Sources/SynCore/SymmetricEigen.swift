/// Eigenvalues and eigenvectors of a real symmetric matrix, computed in Double.
///
/// Householder reduction to tridiagonal form followed by the implicit QL algorithm with
/// Wilkinson-type shifts (the shift is the eigenvalue of the leading 2 x 2 block closest to its
/// first diagonal entry), after the EISPACK/JAMA `tred2`/`tql2` routines. Cost: about
/// (4/3) n^3 flops for eigenvalues only, about 9 n^3 with eigenvectors.
///
/// ```swift
/// let c = Covariance.covariance(of: samples, center: true)
/// let spectrum = SymmetricEigen.eigenvalues(c)        // descending
/// let (values, vectors) = SymmetricEigen.decompose(c) // column k of `vectors` = eigenvector k
/// ```
///
/// The input is symmetrised as (A + A^T) / 2, so Float round-off asymmetry (e.g. from a GEMM)
/// is harmless. Eigenvalues are sorted in descending order. Each eigenvector has unit norm and
/// the sign that makes its largest-magnitude component positive (a deterministic convention, so
/// e.g. PCA components can be compared between runs). Non-finite input is a precondition failure.
public enum SymmetricEigen {
    /// Eigenvalues of the symmetric matrix `a`, in descending order.
    public static func eigenvalues(_ a: Matrix) -> [Double] {
        precondition(a.rows == a.cols, "SymmetricEigen needs a square matrix, got \(a.rows)x\(a.cols)")
        return eigenvalues(a.storage.map(Double.init), n: a.rows)
    }

    /// Eigen decomposition of the symmetric matrix `a`: values descending, `vectors` column k is
    /// the unit eigenvector of `values[k]` (so A V = V diag(values)).
    public static func decompose(_ a: Matrix) -> (values: [Double], vectors: Matrix) {
        precondition(a.rows == a.cols, "SymmetricEigen needs a square matrix, got \(a.rows)x\(a.cols)")
        let (values, v) = decompose(a.storage.map(Double.init), n: a.rows)
        return (values, Matrix(rows: a.rows, cols: a.rows, storage: v.map(Float.init)))
    }

    /// Eigenvalues (descending) of the symmetric n x n matrix stored row-major in `a`.
    public static func eigenvalues(_ a: [Double], n: Int) -> [Double] {
        var w = Work(a, n: n)
        w.tridiagonalize(accumulate: false)
        w.ql(vectors: false)
        return w.d.sorted(by: >)
    }

    /// Eigen decomposition of the symmetric n x n matrix stored row-major in `a`. `vectors` is
    /// n x n row-major with column k the unit eigenvector of `values[k]` (descending).
    public static func decompose(_ a: [Double], n: Int) -> (values: [Double], vectors: [Double]) {
        var w = Work(a, n: n)
        w.tridiagonalize(accumulate: true)
        w.ql(vectors: true)
        let order = (0..<n).sorted { w.d[$0] > w.d[$1] || (w.d[$0] == w.d[$1] && $0 < $1) }
        var values = [Double](repeating: 0, count: n)
        var vectors = [Double](repeating: 0, count: n * n)
        for (k, src) in order.enumerated() {
            values[k] = w.d[src]
            // Column `src` of V is contiguous in the column-major work array.
            let base = src * n
            var big = 0.0
            var sign = 1.0
            for r in 0..<n where abs(w.v[base + r]) > big {
                big = abs(w.v[base + r])
                sign = w.v[base + r] < 0 ? -1 : 1
            }
            for r in 0..<n { vectors[r * n + k] = sign * w.v[base + r] }
        }
        return (values, vectors)
    }

    /// Working state. `v` is stored COLUMN-major (V[row][col] = v[col * n + row]) so that every
    /// inner loop of both phases runs over contiguous memory.
    struct Work {
        let n: Int
        var v: [Double]
        var d: [Double]
        var e: [Double]

        init(_ a: [Double], n: Int) {
            precondition(n >= 0 && a.count == n * n, "SymmetricEigen: \(a.count) entries is not \(n)x\(n)")
            self.n = n
            var v = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n {
                    let x = 0.5 * (a[i * n + j] + a[j * n + i])
                    precondition(x.isFinite, "SymmetricEigen: non-finite entry at (\(i), \(j))")
                    v[j * n + i] = x
                }
            }
            self.v = v
            d = [Double](repeating: 0, count: n)
            e = [Double](repeating: 0, count: n)
        }

        /// Householder tridiagonalisation (tred2). Leaves the diagonal in `d`, the subdiagonal in
        /// `e[1...]` and, when `accumulate`, the orthogonal transformation in `v`.
        mutating func tridiagonalize(accumulate: Bool) {
            guard n > 0 else { return }
            let n = self.n
            v.withUnsafeMutableBufferPointer { vb in
            d.withUnsafeMutableBufferPointer { d in
            e.withUnsafeMutableBufferPointer { e in
                guard let vp = vb.baseAddress else { return }
                // V(r, c) = vp[c * n + r]
                for j in 0..<n { d[j] = vp[j * n + (n - 1)] }
                var i = n - 1
                while i > 0 {
                    var scale = 0.0
                    var h = 0.0
                    for k in 0..<i { scale += abs(d[k]) }
                    if scale == 0 {
                        e[i] = d[i - 1]
                        for j in 0..<i {
                            d[j] = vp[j * n + (i - 1)]
                            vp[j * n + i] = 0
                            vp[i * n + j] = 0
                        }
                    } else {
                        for k in 0..<i {
                            d[k] /= scale
                            h += d[k] * d[k]
                        }
                        var f = d[i - 1]
                        var g = h.squareRoot()
                        if f > 0 { g = -g }
                        e[i] = scale * g
                        h -= f * g
                        d[i - 1] = f - g
                        for j in 0..<i { e[j] = 0 }
                        // e <- A d (lower triangle of the leading i x i block), store u in column i.
                        for j in 0..<i {
                            f = d[j]
                            vp[i * n + j] = f
                            let col = vp + j * n
                            g = e[j] + col[j] * f
                            var k = j + 1
                            while k < i {
                                g += col[k] * d[k]
                                e[k] += col[k] * f
                                k += 1
                            }
                            e[j] = g
                        }
                        f = 0
                        for j in 0..<i {
                            e[j] /= h
                            f += e[j] * d[j]
                        }
                        let hh = f / (h + h)
                        for j in 0..<i { e[j] -= hh * d[j] }
                        // Rank-2 update A <- A - u q^T - q u^T on the lower triangle.
                        for j in 0..<i {
                            f = d[j]
                            g = e[j]
                            let col = vp + j * n
                            var k = j
                            while k < i {
                                col[k] -= f * e[k] + g * d[k]
                                k += 1
                            }
                            d[j] = col[i - 1]
                            col[i] = 0
                        }
                    }
                    d[i] = h
                    i -= 1
                }

                if accumulate {
                    for i in 0..<(n - 1) {
                        vp[i * n + (n - 1)] = vp[i * n + i]
                        vp[i * n + i] = 1
                        let h = d[i + 1]
                        let ucol = vp + (i + 1) * n
                        if h != 0 {
                            for k in 0...i { d[k] = ucol[k] / h }
                            for j in 0...i {
                                let col = vp + j * n
                                var g = 0.0
                                for k in 0...i { g += ucol[k] * col[k] }
                                for k in 0...i { col[k] -= g * d[k] }
                            }
                        }
                        for k in 0...i { ucol[k] = 0 }
                    }
                    for j in 0..<n {
                        d[j] = vp[j * n + (n - 1)]
                        vp[j * n + (n - 1)] = 0
                    }
                    vp[(n - 1) * n + (n - 1)] = 1
                } else {
                    for j in 0..<n { d[j] = vp[j * n + j] }
                }
                e[0] = 0
            }
            }
            }
        }

        /// Implicit QL iterations on the tridiagonal (d, e) (tql2); rotates `v` when `vectors`.
        mutating func ql(vectors: Bool) {
            guard n > 0 else { return }
            let n = self.n
            v.withUnsafeMutableBufferPointer { vb in
            d.withUnsafeMutableBufferPointer { d in
            e.withUnsafeMutableBufferPointer { e in
                guard let vp = vb.baseAddress else { return }
                for i in 1..<max(n, 1) { e[i - 1] = e[i] }
                e[n - 1] = 0
                var f = 0.0
                var tst1 = 0.0
                let eps = Double.ulpOfOne
                for l in 0..<n {
                    tst1 = max(tst1, abs(d[l]) + abs(e[l]))
                    var m = l
                    while m < n {
                        if abs(e[m]) <= eps * tst1 { break }
                        m += 1
                    }
                    // e[n-1] == 0, so m < n always; the bound guards malformed input anyway.
                    if m > l && m < n {
                        var iterations = 0
                        repeat {
                            iterations += 1
                            // Shift from the leading 2 x 2 block.
                            var g = d[l]
                            var p = (d[l + 1] - g) / (2 * e[l])
                            var r = hypot2(p, 1)
                            if p < 0 { r = -r }
                            d[l] = e[l] / (p + r)
                            d[l + 1] = e[l] * (p + r)
                            let dl1 = d[l + 1]
                            var h = g - d[l]
                            var i = l + 2
                            while i < n { d[i] -= h; i += 1 }
                            f += h
                            // Implicit QL sweep from m-1 down to l.
                            p = d[m]
                            var c = 1.0, c2 = 1.0, c3 = 1.0
                            let el1 = e[l + 1]
                            var s = 0.0, s2 = 0.0
                            i = m - 1
                            while i >= l {
                                c3 = c2
                                c2 = c
                                s2 = s
                                g = c * e[i]
                                h = c * p
                                r = hypot2(p, e[i])
                                e[i + 1] = s * r
                                s = e[i] / r
                                c = p / r
                                p = c * d[i] - s * g
                                d[i + 1] = h + s * (c * g + s * d[i])
                                if vectors {
                                    let a = vp + i * n, b = vp + (i + 1) * n
                                    for k in 0..<n {
                                        let hk = b[k]
                                        b[k] = s * a[k] + c * hk
                                        a[k] = c * a[k] - s * hk
                                    }
                                }
                                i -= 1
                            }
                            p = -s * s2 * c3 * el1 * e[l] / dl1
                            e[l] = s * p
                            d[l] = c * p
                        } while abs(e[l]) > eps * tst1 && iterations < 60
                    }
                    d[l] += f
                    e[l] = 0
                }
            }
            }
            }
        }
    }
}

/// sqrt(a^2 + b^2) without destructive overflow or underflow.
@inline(__always) func hypot2(_ a: Double, _ b: Double) -> Double {
    let x = abs(a), y = abs(b)
    let big = max(x, y), small = min(x, y)
    if big == 0 { return 0 }
    let t = small / big
    return big * (1 + t * t).squareRoot()
}
