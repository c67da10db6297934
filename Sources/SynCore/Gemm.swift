#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Single-precision general matrix multiply (SGEMM), packed and cache-blocked.
///
/// C <- alpha * op(A) op(B) + beta * C, with op(X) = X or X^T, on row-major storage with leading
/// dimensions (row strides) `lda`, `ldb`, `ldc`.
///
/// Structure (Goto / BLIS): the k dimension is cut into `kc`-deep slabs and n into `nc`-wide
/// blocks; a `kc x nc` block of op(B) is packed into 16-column micro-panels (stays in L3/L2),
/// an `mc x kc` block of alpha op(A) into 6-row micro-panels (stays in L2), and a 6 x 16
/// register-blocked micro-kernel (12 SIMD8<Float> accumulators, one broadcast of A, two loads of
/// B and two FMAs per row per k) streams through them. Packing makes both transposes free and
/// zero-pads the edges, so the micro-kernel has no edge cases; partial tiles are written through a
/// small stack tile. The packing buffers (at most 4.3 MB) live in a per-thread workspace that is
/// reused by later calls and freed when the thread exits, so steady-state calls do not allocate.
///
/// Threads: inside `ComputePool.with(pool) { ... }` a product of at least `parallelThreshold`
/// multiply-adds is cut into column (or row) blocks on micro-tile boundaries, one per pool thread,
/// each packed and multiplied as above; the result is bit-identical to the serial one.
///
/// BLAS semantics: with `beta == 0`, C is not read (NaNs in C do not propagate); with `k == 0`,
/// C <- beta * C.
public enum Gemm {
    /// Rows of the micro-tile.
    public static let mr = 6
    /// Columns of the micro-tile (two SIMD8 vectors).
    public static let nr = 16
    /// Depth of a packed slab (a 16-wide B micro-panel of this depth is 16 KiB: L1-resident).
    public static let kc = 256
    /// Rows of a packed A block (168 x 256 floats = 168 KiB: L2-resident).
    public static let mc = 168
    /// Columns of a packed B block (256 x 4080 floats = 4 MiB: L3-resident).
    public static let nc = 4080

    /// Raw-pointer SGEMM. `a` holds op(A) as an `m x k` matrix (or its `k x m` transpose when
    /// `transA`), `b` holds op(B) as `k x n` (or `n x k` when `transB`), `c` is `m x n`; each with
    /// the given row stride. The memory of `c` must not overlap `a` or `b`.
    public static func sgemm(m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, transA: Bool,
                             b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size")
        guard m > 0, n > 0 else { return }
        if k == 0 || alpha == 0 {
            scaleC(m: m, n: n, beta: beta, c: c, ldc: ldc)
            return
        }
        // Matrix-vector shapes go to the level-2 kernels (no packing); same shape, same path.
        if n == 1 && ldc == 1 && (transB || ldb == 1) {
            // c = alpha op(A) b + beta c, b contiguous.
            if transA {
                Kernels.gemvT(rows: k, cols: m, alpha: alpha, a: a, lda: lda, x: b, beta: beta, y: c)
            } else {
                Kernels.gemv(rows: m, cols: k, alpha: alpha, a: a, lda: lda, x: b, beta: beta, y: c)
            }
            return
        }
        if m == 1 && (!transA || lda == 1) {
            // c^T = alpha op(B)^T a^T + beta c^T, a contiguous.
            if transB {
                Kernels.gemv(rows: n, cols: k, alpha: alpha, a: b, lda: ldb, x: a, beta: beta, y: c)
            } else {
                Kernels.gemvT(rows: k, cols: n, alpha: alpha, a: b, lda: ldb, x: a, beta: beta, y: c)
            }
            return
        }
        if let pool = ComputePool.current, m * n * k >= parallelThreshold,
           let parts = split(m: m, n: n, parts: pool.count) {
            let ap = SharedPointer(UnsafeMutablePointer(mutating: a)), bp = SharedPointer(UnsafeMutablePointer(mutating: b))
            let cp = SharedPointer(c)
            pool.run { p in
                guard parts.ranges.indices.contains(p) else { return }
                let r = parts.ranges[p]
                guard !r.isEmpty else { return }
                if parts.byColumns {
                    packed(m: m, n: r.count, k: k, alpha: alpha, a: ap.base, lda: lda, transA: transA,
                           b: bp.base + (transB ? r.lowerBound * ldb : r.lowerBound), ldb: ldb, transB: transB,
                           beta: beta, c: cp.base + r.lowerBound, ldc: ldc)
                } else {
                    packed(m: r.count, n: n, k: k, alpha: alpha, a: ap.base + (transA ? r.lowerBound : r.lowerBound * lda),
                           lda: lda, transA: transA, b: bp.base, ldb: ldb, transB: transB,
                           beta: beta, c: cp.base + r.lowerBound * ldc, ldc: ldc)
                }
            }
            return
        }
        packed(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
               beta: beta, c: c, ldc: ldc)
    }

    /// Multiply-adds (m n k) from which a call shares its work with the thread's `ComputePool`:
    /// about 60 us of one core's work, well above the ~10 us it costs to wake the pool.
    public static let parallelThreshold = 1 << 21

    /// How a product is cut over `parts` threads: along the larger of m and n, on micro-tile
    /// boundaries (multiples of `mr` rows or `nr` columns, which the serial loops also cut at, so
    /// the numbers do not change). Nil when there is too little to share.
    static func split(m: Int, n: Int, parts: Int) -> (byColumns: Bool, ranges: [Range<Int>])? {
        let byColumns = (n + nr - 1) / nr >= (m + mr - 1) / mr
        let ranges = WorkerPool.partition(byColumns ? n : m, parts: parts, granule: byColumns ? nr : mr)
        return ranges.count > 1 ? (byColumns, ranges) : nil
    }

    /// The packed, cache-blocked product on the calling thread (no level-2 shortcut, no threads):
    /// each element of C gets the same operations whichever block of a larger product it is in.
    static func packed(m: Int, n: Int, k: Int, alpha: Float,
                       a: UnsafePointer<Float>, lda: Int, transA: Bool,
                       b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let kcMax = min(kc, k)
        let mcMax = min(mc, roundUp(m, mr))
        let ncMax = min(nc, roundUp(n, nr))
        let aBytes = roundUp(mcMax * kcMax * MemoryLayout<Float>.stride, 64)
        let bBytes = ncMax * kcMax * MemoryLayout<Float>.stride
        let raw = GemmWorkspace.buffer(bytes: aBytes + bBytes)
        let ap = raw.bindMemory(to: Float.self, capacity: mcMax * kcMax)
        let bp = (raw + aBytes).bindMemory(to: Float.self, capacity: ncMax * kcMax)

        var jc = 0
        while jc < n {
            let ncb = min(nc, n - jc)
            var pc = 0
            while pc < k {
                let kcb = min(kc, k - pc)
                packB(kc: kcb, nc: ncb, b: b, ldb: ldb, trans: transB, row0: pc, col0: jc, into: bp)
                // First slab applies beta; later slabs accumulate.
                let betaSlab: Float = pc == 0 ? beta : 1
                var ic = 0
                while ic < m {
                    let mcb = min(mc, m - ic)
                    packA(mc: mcb, kc: kcb, alpha: alpha, a: a, lda: lda, trans: transA, row0: ic, col0: pc, into: ap)
                    var jr = 0
                    while jr < ncb {
                        let nrb = min(nr, ncb - jr)
                        var ir = 0
                        while ir < mcb {
                            let mrb = min(mr, mcb - ir)
                            micro(kc: kcb, a: ap + ir * kcb, b: bp + jr * kcb,
                                  c: c + (ic + ir) * ldc + jc + jr, ldc: ldc, beta: betaSlab, rows: mrb, cols: nrb)
                            ir += mr
                        }
                        jr += nr
                    }
                    ic += mc
                }
                pc += kc
            }
            jc += nc
        }
    }

    @inline(__always) static func roundUp(_ x: Int, _ m: Int) -> Int { (x + m - 1) / m * m }

    static func scaleC(m: Int, n: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 {
                row.update(repeating: 0, count: n)
            } else if beta != 1 {
                for j in 0..<n { row[j] *= beta }
            }
        }
    }

    /// Packs alpha * op(A)[row0 ..< row0+mc, col0 ..< col0+kc] into 6-row micro-panels:
    /// panel q holds element (q*6 + i, p) at `q*6*kc + p*6 + i`; rows past `mc` are zero.
    static func packA(mc: Int, kc: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int, trans: Bool,
                      row0: Int, col0: Int, into ap: UnsafeMutablePointer<Float>) {
        var q = 0
        while q < mc {
            let rows = min(mr, mc - q)
            let dst = ap + q * kc
            if !trans && rows == mr {
                // op(A)(i, p) = a[i * lda + p]: six row streams, contiguous writes.
                let r0 = a + (row0 + q) * lda + col0
                let r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda
                var d = dst
                for p in 0..<kc {
                    d[0] = alpha * r0[p]; d[1] = alpha * r1[p]; d[2] = alpha * r2[p]
                    d[3] = alpha * r3[p]; d[4] = alpha * r4[p]; d[5] = alpha * r5[p]
                    d += mr
                }
            } else if !trans {
                for i in 0..<rows {
                    let src = a + (row0 + q + i) * lda + col0
                    var d = dst + i
                    for p in 0..<kc {
                        d.pointee = alpha * src[p]
                        d += mr
                    }
                }
            } else {
                // op(A)(i, p) = a[p * lda + i]: for each p the six entries are contiguous.
                var src = a + col0 * lda + row0 + q
                var d = dst
                for _ in 0..<kc {
                    for i in 0..<rows { d[i] = alpha * src[i] }
                    src += lda
                    d += mr
                }
            }
            if rows < mr {
                for p in 0..<kc { for i in rows..<mr { dst[p * mr + i] = 0 } }
            }
            q += mr
        }
    }

    /// Packs op(B)[row0 ..< row0+kc, col0 ..< col0+nc] into 16-column micro-panels:
    /// panel q holds element (p, q*16 + j) at `q*16*kc + p*16 + j`; columns past `nc` are zero.
    static func packB(kc: Int, nc: Int, b: UnsafePointer<Float>, ldb: Int, trans: Bool,
                      row0: Int, col0: Int, into bp: UnsafeMutablePointer<Float>) {
        var q = 0
        while q < nc {
            let cols = min(nr, nc - q)
            let dst = bp + q * kc
            if !trans {
                if cols == nr {
                    for p in 0..<kc {
                        let src = UnsafeRawPointer(b + (row0 + p) * ldb + col0 + q)
                        let d = UnsafeMutableRawPointer(dst + p * nr)
                        d.storeBytes(of: src.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                        d.storeBytes(of: src.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                                     toByteOffset: 32, as: SIMD8<Float>.self)
                    }
                } else {
                    for p in 0..<kc {
                        let src = b + (row0 + p) * ldb + col0 + q
                        for j in 0..<cols { dst[p * nr + j] = src[j] }
                        for j in cols..<nr { dst[p * nr + j] = 0 }
                    }
                }
            } else {
                // op(B)(p, j) = b[j * ldb + p]: each column j is contiguous in p.
                for j in 0..<cols {
                    let src = b + (col0 + q + j) * ldb + row0
                    for p in 0..<kc { dst[p * nr + j] = src[p] }
                }
                if cols < nr {
                    for p in 0..<kc { for j in cols..<nr { dst[p * nr + j] = 0 } }
                }
            }
            q += nr
        }
    }

    /// The 6 x 16 micro-kernel: acc = Apanel * Bpanel over `kc`, then
    /// C[0..<rows, 0..<cols] <- acc + beta * C (C not read when beta == 0).
    @inline(__always)
    static func micro(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                      c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float, rows: Int, cols: Int) {
        typealias V = SIMD8<Float>
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        var pa = a
        var pb = UnsafeRawPointer(b)
        @inline(__always) func step(_ pa: UnsafePointer<Float>, _ pb: UnsafeRawPointer) {
            let b0 = pb.load(as: V.self)
            let b1 = pb.load(fromByteOffset: 32, as: V.self)
            var av = V(repeating: pa[0])
            c00 = fmadd(c00, av, b0); c01 = fmadd(c01, av, b1)
            av = V(repeating: pa[1])
            c10 = fmadd(c10, av, b0); c11 = fmadd(c11, av, b1)
            av = V(repeating: pa[2])
            c20 = fmadd(c20, av, b0); c21 = fmadd(c21, av, b1)
            av = V(repeating: pa[3])
            c30 = fmadd(c30, av, b0); c31 = fmadd(c31, av, b1)
            av = V(repeating: pa[4])
            c40 = fmadd(c40, av, b0); c41 = fmadd(c41, av, b1)
            av = V(repeating: pa[5])
            c50 = fmadd(c50, av, b0); c51 = fmadd(c51, av, b1)
        }
        var p = 0
        while p + 4 <= kc {
            step(pa, pb)
            step(pa + mr, pb + 64)
            step(pa + 2 * mr, pb + 128)
            step(pa + 3 * mr, pb + 192)
            pa += 4 * mr
            pb += 256
            p += 4
        }
        while p < kc {
            step(pa, pb)
            pa += mr
            pb += 64
            p += 1
        }
        if rows == mr && cols == nr {
            store(c00, c01, c, beta)
            store(c10, c11, c + ldc, beta)
            store(c20, c21, c + 2 * ldc, beta)
            store(c30, c31, c + 3 * ldc, beta)
            store(c40, c41, c + 4 * ldc, beta)
            store(c50, c51, c + 5 * ldc, beta)
        } else {
            // Partial tile: spill to a stack tile, then update only the valid part of C.
            withUnsafeTemporaryAllocation(of: V.self, capacity: 12) { t in
                t[0] = c00; t[1] = c01; t[2] = c10; t[3] = c11; t[4] = c20; t[5] = c21
                t[6] = c30; t[7] = c31; t[8] = c40; t[9] = c41; t[10] = c50; t[11] = c51
                guard let base = t.baseAddress else { return }
                UnsafeMutableRawPointer(base).withMemoryRebound(to: Float.self, capacity: 96) { tile in
                    for i in 0..<rows {
                        let crow = c + i * ldc
                        let trow = tile + i * nr
                        if beta == 0 {
                            for j in 0..<cols { crow[j] = trow[j] }
                        } else {
                            for j in 0..<cols { crow[j] = trow[j] + beta * crow[j] }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func store(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ c: UnsafeMutablePointer<Float>, _ beta: Float) {
        let p = UnsafeMutableRawPointer(c)
        if beta == 0 {
            p.storeBytes(of: v0, as: SIMD8<Float>.self)
            p.storeBytes(of: v1, toByteOffset: 32, as: SIMD8<Float>.self)
        } else {
            let o0 = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
            let o1 = UnsafeRawPointer(p).loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let bv = SIMD8<Float>(repeating: beta)
            p.storeBytes(of: fmadd(v0, bv, o0), as: SIMD8<Float>.self)
            p.storeBytes(of: fmadd(v1, bv, o1), toByteOffset: 32, as: SIMD8<Float>.self)
        }
    }
}

/// The calling thread's packing buffer for `Gemm.sgemm`: 64-byte aligned, grown on demand,
/// released by a pthread key destructor at thread exit.
enum GemmWorkspace {
    /// Layout of an allocation: 64-byte header holding the usable capacity, then the data.
    static let header = 64

    static let key: pthread_key_t = {
        var k = pthread_key_t()
        let rc = pthread_key_create(&k) { p in free(p) }
        precondition(rc == 0, "pthread_key_create failed (\(rc))")
        return k
    }()

    /// A buffer of at least `bytes` bytes, valid until the next call on this thread.
    static func buffer(bytes: Int) -> UnsafeMutableRawPointer {
        if let block = pthread_getspecific(key) {
            if block.load(as: Int.self) >= bytes { return block + header }
            free(block)
            pthread_setspecific(key, nil)
        }
        // At least 256 KiB, so the many small shapes of a model share one allocation.
        let capacity = max(bytes, 1 << 18)
        var mem: UnsafeMutableRawPointer?
        let rc = posix_memalign(&mem, 64, capacity + header)
        guard rc == 0, let block = mem else { fatalError("Gemm: cannot allocate \(capacity) bytes of packing space") }
        block.storeBytes(of: capacity, as: Int.self)
        pthread_setspecific(key, block)
        return block + header
    }
}

/// acc + a * b, fused into one FMA instruction where the build guarantees FMA hardware
/// (arm64, or x86-64 built with the Haswell floor, which defines SYNAPTOP_FMA). In portable
/// x86 builds it is a separate multiply and add: a fused op there would become a slow libm call.
@inline(__always) @usableFromInline
func fmadd(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    #if arch(arm64) || SYNAPTOP_FMA
    return acc.addingProduct(a, b)
    #else
    return acc + a * b
    #endif
}
