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
/// e.g. PCA components can be compared between runs). Non-finite input (a diverged run) gives
/// all-NaN eigenvalues (and eigenvectors) instead of a trap, so callers can report divergence.
/// QL needs about 1.5 sweeps per eigenvalue; each eigenvalue is capped at 60 sweeps, a bound
/// symmetric input never reaches, so the solver always terminates.
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
        guard w.finite else { return [Double](repeating: .nan, count: n) }
        w.tridiagonalize(accumulate: false)
        w.ql(vectors: false)
        return w.d.sorted(by: >)
    }

    /// Eigen decomposition of the symmetric n x n matrix stored row-major in `a`. `vectors` is
    /// n x n row-major with column k the unit eigenvector of `values[k]` (descending).
    public static func decompose(_ a: [Double], n: Int) -> (values: [Double], vectors: [Double]) {
        var w = Work(a, n: n)
        guard w.finite else { return ([Double](repeating: .nan, count: n), [Double](repeating: .nan, count: n * n)) }
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
        /// False when the input had a NaN or infinite entry (nothing is computed then).
        let finite: Bool

        init(_ a: [Double], n: Int) {
            precondition(n >= 0 && a.count == n * n, "SymmetricEigen: \(a.count) entries is not \(n)x\(n)")
            self.n = n
            // Only the lower triangle (row >= column) is read by the reduction; fill it in 32 x 32
            // tiles so the transposed reads stay in cache.
            var v = [Double](repeating: 0, count: n * n)
            let tile = 32
            var finite = true
            for j0 in stride(from: 0, to: n, by: tile) {
                for i0 in stride(from: j0, to: n, by: tile) {
                    for j in j0..<min(j0 + tile, n) {
                        for i in max(i0, j)..<min(i0 + tile, n) {
                            let x = 0.5 * (a[i * n + j] + a[j * n + i])
                            finite = finite && x.isFinite
                            v[j * n + i] = x
                        }
                    }
                }
            }
            self.finite = finite
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
                guard let vp = vb.baseAddress, let dp = d.baseAddress, let ep = e.baseAddress else { return }
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
                            // g = e_j + sum_{k>=j} A_kj d_k, and e_k += A_kj f for k > j.
                            g = e[j] + col[j] * f + dotAxpy(i - j - 1, col + j + 1, dp + j + 1,
                                                            f, ep + j + 1)
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
                            rank2(i - j, col + j, -f, ep + j, -g, dp + j)
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
                                let g = dotD(i + 1, ucol, col)
                                rank2(i + 1, col, -g, dp, 0, dp)
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
                                r = hypotFast(p, e[i])
                                e[i + 1] = s * r
                                let inv = 1 / r
                                s = e[i] * inv
                                c = p * inv
                                p = c * d[i] - s * g
                                d[i + 1] = h + s * (c * g + s * d[i])
                                if vectors {
                                    rotate(n, vp + i * n, vp + (i + 1) * n, c, s)
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

// MARK: SIMD helpers (4 doubles = one AVX2 register). Summation orders depend only on n.

private typealias D4 = SIMD4<Double>

@inline(__always) private func ld(_ p: UnsafePointer<Double>) -> D4 { UnsafeRawPointer(p).loadUnaligned(as: D4.self) }
@inline(__always) private func st(_ v: D4, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: D4.self)
}
@inline(__always) private func fma4(_ acc: D4, _ a: D4, _ b: D4) -> D4 {
    #if arch(arm64) || SYNAPTOP_FMA
    return acc.addingProduct(a, b)
    #else
    return acc + a * b
    #endif
}

/// Returns sum_k a_k b_k over n entries.
private func dotD(_ n: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
    var s0 = D4(), s1 = D4()
    var k = 0
    while k + 8 <= n {
        s0 = fma4(s0, ld(a + k), ld(b + k))
        s1 = fma4(s1, ld(a + k + 4), ld(b + k + 4))
        k += 8
    }
    var s = (s0 + s1).sum()
    while k < n {
        s += a[k] * b[k]
        k += 1
    }
    return s
}

/// Returns sum_k a_k d_k and does e_k += f a_k, over n entries (one pass over a).
private func dotAxpy(_ n: Int, _ a: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>, _ f: Double,
                     _ e: UnsafeMutablePointer<Double>) -> Double {
    var s0 = D4(), s1 = D4()
    let fv = D4(repeating: f)
    var k = 0
    while k + 8 <= n {
        let a0 = ld(a + k), a1 = ld(a + k + 4)
        s0 = fma4(s0, a0, ld(d + k))
        s1 = fma4(s1, a1, ld(d + k + 4))
        st(fma4(ld(e + k), a0, fv), e + k)
        st(fma4(ld(e + k + 4), a1, fv), e + k + 4)
        k += 8
    }
    var s = (s0 + s1).sum()
    while k < n {
        s += a[k] * d[k]
        e[k] += a[k] * f
        k += 1
    }
    return s
}

/// x_k += p u_k + q w_k over n entries.
private func rank2(_ n: Int, _ x: UnsafeMutablePointer<Double>, _ p: Double, _ u: UnsafeMutablePointer<Double>,
                   _ q: Double, _ w: UnsafeMutablePointer<Double>) {
    let pv = D4(repeating: p), qv = D4(repeating: q)
    var k = 0
    while k + 4 <= n {
        st(fma4(fma4(ld(x + k), pv, ld(u + k)), qv, ld(w + k)), x + k)
        k += 4
    }
    while k < n {
        x[k] += p * u[k] + q * w[k]
        k += 1
    }
}

/// Plane rotation of two columns: (a, b) <- (c a - s b, s a + c b) over n entries.
private func rotate(_ n: Int, _ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, _ c: Double, _ s: Double) {
    let cv = D4(repeating: c), sv = D4(repeating: s)
    var k = 0
    while k + 4 <= n {
        let av = ld(a + k), bv = ld(b + k)
        st(cv * av - sv * bv, a + k)
        st(sv * av + cv * bv, b + k)
        k += 4
    }
    while k < n {
        let ak = a[k], bk = b[k]
        a[k] = c * ak - s * bk
        b[k] = s * ak + c * bk
        k += 1
    }
}

/// sqrt(a^2 + b^2): the direct formula when a^2 + b^2 is safely inside the normal range,
/// otherwise the scaled `hypot2`.
@inline(__always) func hypotFast(_ a: Double, _ b: Double) -> Double {
    let sq = a * a + b * b
    if sq > 1e-290 && sq < 1e290 { return sq.squareRoot() }
    return hypot2(a, b)
}

/// sqrt(a^2 + b^2) without destructive overflow or underflow.
@inline(__always) func hypot2(_ a: Double, _ b: Double) -> Double {
    let x = abs(a), y = abs(b)
    let big = max(x, y), small = min(x, y)
    if big == 0 { return 0 }
    let t = small / big
    return big * (1 + t * t).squareRoot()
}
