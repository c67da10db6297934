/// SIMD8<Float32> kernels on raw pointers for the per-sample hot loops of rate networks
/// (gemv, transposed gemv, rank-1 update, dot, axpy, vectorised tanh).
///
/// They take `UnsafePointer`s so a training loop can enter `withUnsafeMutableBufferPointer`
/// once and run many samples without bounds checks, retain/release or allocation. Summation
/// order is fixed, so results are deterministic on a given build.
public enum RateKernels {
    @inline(__always) @usableFromInline static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) @usableFromInline static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// sum_i a_i b_i over n entries.
    @inlinable public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        var i = 0
        while i &+ 16 <= n {
            s0 = s0.addingProduct(load8(a + i), load8(b + i))
            s1 = s1.addingProduct(load8(a + (i &+ 8)), load8(b + (i &+ 8)))
            i = i &+ 16
        }
        if i &+ 8 <= n {
            s0 = s0.addingProduct(load8(a + i), load8(b + i))
            i = i &+ 8
        }
        var s = (s0 + s1).sum()
        while i < n { s += a[i] * b[i]; i = i &+ 1 }
        return s
    }

    /// y <- y + alpha x over n entries.
    @inlinable public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let av = SIMD8<Float>(repeating: alpha)
        var i = 0
        // Wrapping index arithmetic (&+) keeps overflow checks out of the loop (n is a buffer
        // length, far from Int.max); two vectors per iteration.
        while i &+ 16 <= n {
            let y0 = load8(UnsafePointer(y + i)).addingProduct(av, load8(x + i))
            let y1 = load8(UnsafePointer(y + (i &+ 8))).addingProduct(av, load8(x + (i &+ 8)))
            store8(y0, y + i)
            store8(y1, y + (i &+ 8))
            i = i &+ 16
        }
        if i &+ 8 <= n {
            store8(load8(UnsafePointer(y + i)).addingProduct(av, load8(x + i)), y + i)
            i = i &+ 8
        }
        while i < n { y[i] += alpha * x[i]; i = i &+ 1 }
    }

    /// y_r <- sum_c W[r, c] x_c + b_r for a row-major `rows x cols` W (b may be nil for 0).
    /// Four rows share each load of x.
    @inlinable public static func gemv(_ w: UnsafePointer<Float>, rows: Int, cols: Int, _ x: UnsafePointer<Float>,
                                       bias b: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
        var r = 0
        while r + 4 <= rows {
            let w0 = w + r * cols, w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
            var c = 0
            while c &+ 8 <= cols {
                let xv = load8(x + c)
                s0 = s0.addingProduct(load8(w0 + c), xv)
                s1 = s1.addingProduct(load8(w1 + c), xv)
                s2 = s2.addingProduct(load8(w2 + c), xv)
                s3 = s3.addingProduct(load8(w3 + c), xv)
                c = c &+ 8
            }
            var t0 = s0.sum(), t1 = s1.sum(), t2 = s2.sum(), t3 = s3.sum()
            while c < cols {
                let xc = x[c]
                t0 += w0[c] * xc; t1 += w1[c] * xc; t2 += w2[c] * xc; t3 += w3[c] * xc
                c += 1
            }
            if let b { t0 += b[r]; t1 += b[r + 1]; t2 += b[r + 2]; t3 += b[r + 3] }
            y[r] = t0; y[r + 1] = t1; y[r + 2] = t2; y[r + 3] = t3
            r += 4
        }
        while r < rows {
            y[r] = dot(w + r * cols, x, cols) + (b?[r] ?? 0)
            r += 1
        }
    }

    /// y_c <- sum_r W[r, c] d_r (y = W^T d) for a row-major `rows x cols` W.
    @inlinable public static func gemvT(_ w: UnsafePointer<Float>, rows: Int, cols: Int, _ d: UnsafePointer<Float>,
                                        into y: UnsafeMutablePointer<Float>) {
        y.update(repeating: 0, count: cols)
        for r in 0..<rows where d[r] != 0 { axpy(d[r], w + r * cols, y, cols) }
    }

    /// W[r, c] <- W[r, c] + alpha u_r v_c (rank-1 update of a row-major `rows x cols` W).
    @inlinable public static func ger(_ alpha: Float, _ u: UnsafePointer<Float>, _ v: UnsafePointer<Float>,
                                      _ w: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let s = alpha * u[r]
            if s != 0 { axpy(s, v, w + r * cols, cols) }
        }
    }

    /// y_i <- tanh(x_i) in place over n entries (rational approximation, |error| < 5e-7; see `tanh8`).
    @inlinable public static func tanh(_ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n {
            store8(tanh8(load8(UnsafePointer(y + i))), y + i)
            i += 8
        }
        if i < n {
            var v = SIMD8<Float>()
            for k in 0..<(n - i) { v[k] = y[i + k] }
            v = tanh8(v)
            for k in 0..<(n - i) { y[i + k] = v[k] }
        }
    }

    /// tanh of 8 lanes: the [13/6] odd/even rational minimax approximation on [-7.9053, 7.9053]
    /// used by Eigen (`generic_fast_tanh_float`); outside that range tanh rounds to +-1 in Float.
    @inlinable public static func tanh8(_ x0: SIMD8<Float>) -> SIMD8<Float> {
        // Clamp to [-lim, lim] with compare + blend (the generic `clamped` is not inlined).
        let lim: Float = 7.90531110763549805
        var x = x0
        x.replace(with: lim, where: x .> lim)
        x.replace(with: -lim, where: x .< -lim)
        let x2 = x * x
        var p = SIMD8<Float>(repeating: -2.76076847742355e-16)
        p = p * x2 + SIMD8(repeating: 2.00018790482477e-13)
        p = p * x2 + SIMD8(repeating: -8.60467152213735e-11)
        p = p * x2 + SIMD8(repeating: 5.12229709037114e-08)
        p = p * x2 + SIMD8(repeating: 1.48572235717979e-05)
        p = p * x2 + SIMD8(repeating: 6.37261928875436e-04)
        p = p * x2 + SIMD8(repeating: 4.89352455891786e-03)
        p = p * x
        var q = SIMD8<Float>(repeating: 1.19825839466702e-06)
        q = q * x2 + SIMD8(repeating: 1.18534705686654e-04)
        q = q * x2 + SIMD8(repeating: 2.26843463243900e-03)
        q = q * x2 + SIMD8(repeating: 4.89352518554385e-03)
        return p / q
    }

    /// Scalar tanh with the same approximation as `tanh8` (so scalar and vector paths agree).
    @inlinable public static func tanh1(_ x: Float) -> Float { tanh8(SIMD8(repeating: x))[0] }
}
