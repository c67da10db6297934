import Testing
@testable import SynCore

/// `Gemm.sgemm` inside `ComputePool.with`: the same bits as on one thread, for every operand
/// layout and edge (partial micro-tiles, strides, beta), and the pool really shares the work.
@Suite struct ComputePoolTests {
    struct Shape: Sendable, CustomStringConvertible {
        var m: Int, n: Int, k: Int, transA: Bool, transB: Bool, alpha: Float, beta: Float, pad: Int
        var description: String { "\(m)x\(n)x\(k) tA=\(transA) tB=\(transB) alpha=\(alpha) beta=\(beta) pad=\(pad)" }
    }

    /// Shapes above the threshold that cut by columns, by rows, with partial tiles at both ends,
    /// transposed operands, padded strides, and beta 0 / 1 / other (the partial-tile path adds
    /// beta * C unfused, so a cut that moved a tile boundary would change bits).
    static let shapes: [Shape] = [
        Shape(m: 7, n: 701, k: 430, transA: false, transB: false, alpha: 1, beta: 0, pad: 0),
        Shape(m: 301, n: 17, k: 433, transA: false, transB: false, alpha: 1, beta: 0.7, pad: 3),
        Shape(m: 131, n: 257, k: 65, transA: true, transB: false, alpha: -0.5, beta: 1, pad: 0),
        Shape(m: 97, n: 203, k: 300, transA: false, transB: true, alpha: 2, beta: 0.3, pad: 5),
        Shape(m: 170, n: 170, k: 300, transA: true, transB: true, alpha: 1, beta: 0, pad: 1),
        Shape(m: 64, n: 4100, k: 9, transA: false, transB: false, alpha: 1, beta: 0.5, pad: 0),
    ]

    /// Runs C <- alpha op(A) op(B) + beta C with `pool` installed; returns C.
    static func product(_ s: Shape, pool: WorkerPool?) -> [Float] { operandsAndProduct(s, pool: pool).c }

    /// The operands drawn from a fixed seed, C before the product, and C after it.
    static func operandsAndProduct(_ s: Shape, pool: WorkerPool?) -> (a: [Float], b: [Float], c0: [Float], c: [Float]) {
        var rng = RNG(seed: 11)
        let (ar, ac) = s.transA ? (s.k, s.m) : (s.m, s.k)
        let (br, bc) = s.transB ? (s.n, s.k) : (s.k, s.n)
        let lda = ac + s.pad, ldb = bc + s.pad, ldc = s.n + s.pad
        let a = (0..<(ar * lda)).map { _ in rng.uniform(-1, 1) }
        let b = (0..<(br * ldb)).map { _ in rng.uniform(-1, 1) }
        let c0 = (0..<(s.m * ldc)).map { _ in rng.uniform(-1, 1) }
        var c = c0
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    guard let ab = ap.baseAddress, let bb = bp.baseAddress, let cb = cp.baseAddress else { return }
                    ComputePool.with(pool) {
                        Gemm.sgemm(m: s.m, n: s.n, k: s.k, alpha: s.alpha, a: ab, lda: lda, transA: s.transA,
                                   b: bb, ldb: ldb, transB: s.transB, beta: s.beta, c: cb, ldc: ldc)
                    }
                }
            }
        }
        return (a, b, c0, c)
    }

    @Test(arguments: shapes)
    func threadsGiveTheSerialBits(shape: Shape) {
        #expect(shape.m * shape.n * shape.k >= Gemm.parallelThreshold)
        let serial = Self.product(shape, pool: nil)
        for count in [2, 3] {
            let pool = WorkerPool(count: count)
            let threaded = Self.product(shape, pool: pool)
            #expect(pool.jobs == 1, "the product was not shared with the pool")
            #expect(threaded.map(\.bitPattern) == serial.map(\.bitPattern), "\(count) threads changed bits")
        }
    }

    /// The threaded product is also the right product (against a plain triple loop in Double).
    @Test func threadedProductIsCorrect() {
        let s = Self.shapes[3]
        let pool = WorkerPool(count: 2)
        let (a, b, c0, c) = Self.operandsAndProduct(s, pool: pool)
        let lda = (s.transA ? s.m : s.k) + s.pad, ldb = (s.transB ? s.k : s.n) + s.pad, ldc = s.n + s.pad
        var worst: Double = 0
        for i in 0..<s.m {
            for j in 0..<s.n {
                var sum = 0.0
                for p in 0..<s.k {
                    let x = s.transA ? a[p * lda + i] : a[i * lda + p]
                    let y = s.transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(x) * Double(y)
                }
                let expected = Double(s.alpha) * sum + Double(s.beta) * Double(c0[i * ldc + j])
                worst = max(worst, abs(expected - Double(c[i * ldc + j])))
            }
        }
        #expect(worst < 1e-3)
    }

    /// Small products stay on the calling thread (waking the pool would cost more than they do).
    @Test func smallProductsAreNotShared() {
        let pool = WorkerPool(count: 2)
        let s = Shape(m: 40, n: 40, k: 40, transA: false, transB: false, alpha: 1, beta: 0, pad: 0)
        _ = Self.product(s, pool: pool)
        #expect(pool.jobs == 0)
    }

    /// Cuts fall on micro-tile boundaries along the larger dimension, in tiles.
    @Test func splitsOnTileBoundaries() throws {
        let cols = try #require(Gemm.split(m: 10, n: 1000, parts: 2))
        #expect(cols.byColumns && cols.ranges.allSatisfy { $0.lowerBound % Gemm.nr == 0 })
        #expect(cols.ranges.first?.lowerBound == 0 && cols.ranges.last?.upperBound == 1000)
        let rows = try #require(Gemm.split(m: 1000, n: 20, parts: 3))
        #expect(!rows.byColumns && rows.ranges.count == 3 && rows.ranges.allSatisfy { $0.lowerBound % Gemm.mr == 0 })
        #expect(Gemm.split(m: 6, n: 16, parts: 2) == nil)
    }

    /// The pool is seen only inside `with`, by the installing thread; nesting restores the outer one.
    @Test func poolIsScopedToTheCall() {
        #expect(ComputePool.current == nil)
        let outer = WorkerPool(count: 2), inner = WorkerPool(count: 3)
        ComputePool.with(outer) {
            #expect(ComputePool.current === outer)
            ComputePool.with(inner) { #expect(ComputePool.current === inner) }
            ComputePool.with(nil) { #expect(ComputePool.current == nil) }
            #expect(ComputePool.current === outer)
        }
        #expect(ComputePool.current == nil)
        // A one-thread pool is no pool: nothing to share with.
        ComputePool.with(WorkerPool(count: 1)) { #expect(ComputePool.current == nil) }
    }
}
