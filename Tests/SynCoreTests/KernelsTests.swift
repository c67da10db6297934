import Testing
@testable import SynCore

/// Naive Double-accumulated references for the kernels.
enum Reference {
    static func gemm(_ a: Matrix, _ b: Matrix, _ c: Matrix, alpha: Float, beta: Float, transA: Bool, transB: Bool) -> [Double] {
        let m = c.rows, n = c.cols, k = transA ? a.rows : a.cols
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = transA ? a[p, i] : a[i, p]
                    let y = transB ? b[j, p] : b[p, j]
                    s += Double(x) * Double(y)
                }
                out[i * n + j] = Double(alpha) * s + (beta == 0 ? 0 : Double(beta) * Double(c[i, j]))
            }
        }
        return out
    }
}

func randomMatrix(_ rows: Int, _ cols: Int, _ rng: inout RNG) -> Matrix {
    Matrix(rows: rows, cols: cols) { _, _ in rng.uniform(-1, 1) }
}

func randomVector(_ n: Int, _ rng: inout RNG) -> [Float] { (0..<n).map { _ in rng.uniform(-1, 1) } }

/// Float32 summation of k products of magnitude <= 1: error bound ~ k * eps (worst case).
func sumTolerance(_ k: Int) -> Double { Double(k + 2) * 1.2e-7 * 2 }

@Suite struct KernelsTests {
    @Test func gemmMatchesNaiveOnOddShapes() {
        var rng = RNG(seed: 21)
        let sizes = [1, 7, 16, 33, 65]
        for m in sizes {
            for n in sizes {
                for k in [1, 7, 33, 65] {
                    let a = randomMatrix(m, k, &rng), b = randomMatrix(k, n, &rng)
                    var c = randomMatrix(m, n, &rng)
                    let ref = Reference.gemm(a, b, c, alpha: 1, beta: 0, transA: false, transB: false)
                    Kernels.gemm(a, b, into: &c)
                    for i in 0..<(m * n) { #expect(abs(Double(c.storage[i]) - ref[i]) < sumTolerance(k)) }
                }
            }
        }
    }

    @Test func gemmTransposesAlphaBeta() {
        var rng = RNG(seed: 22)
        for (m, n, k) in [(13, 29, 31), (6, 16, 300), (70, 18, 5), (1, 9, 17), (9, 1, 17), (1, 1, 40)] {
            for transA in [false, true] {
                for transB in [false, true] {
                    for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (-2, 0.25)] {
                        let a = transA ? randomMatrix(k, m, &rng) : randomMatrix(m, k, &rng)
                        let b = transB ? randomMatrix(n, k, &rng) : randomMatrix(k, n, &rng)
                        var c = randomMatrix(m, n, &rng)
                        let ref = Reference.gemm(a, b, c, alpha: alpha, beta: beta, transA: transA, transB: transB)
                        Kernels.gemm(a, b, into: &c, alpha: alpha, beta: beta, transA: transA, transB: transB)
                        let tol = sumTolerance(k) * Double(abs(alpha)) + 1e-6
                        for i in 0..<(m * n) { #expect(abs(Double(c.storage[i]) - ref[i]) < tol) }
                    }
                }
            }
        }
    }

    @Test func gemmCrossesBlockBoundaries() {
        // k > kc (two slabs, beta applied once) and m > mc (two A blocks).
        var rng = RNG(seed: 23)
        let m = Gemm.mc + 5, n = 20, k = Gemm.kc + 3
        let a = randomMatrix(m, k, &rng), b = randomMatrix(k, n, &rng)
        var c = randomMatrix(m, n, &rng)
        let ref = Reference.gemm(a, b, c, alpha: 1, beta: 0.5, transA: false, transB: false)
        Kernels.gemm(a, b, into: &c, beta: 0.5)
        for i in 0..<(m * n) { #expect(abs(Double(c.storage[i]) - ref[i]) < sumTolerance(k)) }
    }

    @Test func gemmEmptyAndBetaZeroIgnoresNaN() {
        var c = Matrix(rows: 2, cols: 3, repeating: .nan)
        Kernels.gemm(Matrix(rows: 2, cols: 0), Matrix(rows: 0, cols: 3), into: &c)
        #expect(c.storage == [Float](repeating: 0, count: 6))
        var d = Matrix(rows: 2, cols: 2, repeating: .nan)
        Kernels.gemm(Matrix.identity(2), Matrix(rows: 2, cols: 2, storage: [1, 2, 3, 4]), into: &d)
        #expect(d.storage == [1, 2, 3, 4])
        var e = Matrix(rows: 0, cols: 4)
        Kernels.gemm(Matrix(rows: 0, cols: 3), Matrix(rows: 3, cols: 4), into: &e)
        #expect(e.storage.isEmpty)
    }

    @Test func gemmIsThreadSafeAndDeterministic() async {
        // Concurrent calls use per-thread packing workspaces; each result must equal the serial one.
        let shapes = [(40, 33, 70), (7, 65, 300), (64, 64, 64), (3, 100, 20)]
        var inputs: [(Matrix, Matrix, Matrix)] = []
        var rng = RNG(seed: 28)
        for (m, n, k) in shapes {
            let a = randomMatrix(m, k, &rng), b = randomMatrix(k, n, &rng)
            var c = Matrix(rows: m, cols: n)
            Kernels.gemm(a, b, into: &c)
            inputs.append((a, b, c))
        }
        let cases = inputs
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for i in 0..<16 {
                group.addTask {
                    let (a, b, expected) = cases[i % cases.count]
                    var c = Matrix(rows: expected.rows, cols: expected.cols)
                    Kernels.gemm(a, b, into: &c)
                    return c == expected ? 0 : 1
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func gemvAndGemvTMatchNaive() {
        var rng = RNG(seed: 24)
        for (m, n) in [(1, 1), (3, 7), (4, 16), (9, 33), (37, 70), (0, 5), (5, 0)] {
            let a = randomMatrix(m, n, &rng)
            let x = randomVector(n, &rng), xt = randomVector(m, &rng)
            for (alpha, beta) in [(Float(1), Float(0)), (0.5, -1.5)] {
                var y = randomVector(m, &rng)
                let y0 = y
                Kernels.gemv(a, x, into: &y, alpha: alpha, beta: beta)
                for r in 0..<m {
                    var s = 0.0
                    for c in 0..<n { s += Double(a[r, c]) * Double(x[c]) }
                    let ref = Double(alpha) * s + Double(beta) * Double(y0[r])
                    #expect(abs(Double(y[r]) - ref) < sumTolerance(n) + 1e-6)
                }
                var z = randomVector(n, &rng)
                let z0 = z
                Kernels.gemvT(a, xt, into: &z, alpha: alpha, beta: beta)
                for c in 0..<n {
                    var s = 0.0
                    for r in 0..<m { s += Double(a[r, c]) * Double(xt[r]) }
                    let ref = Double(alpha) * s + Double(beta) * Double(z0[c])
                    #expect(abs(Double(z[c]) - ref) < sumTolerance(m) + 1e-6)
                }
            }
        }
    }

    @Test func gemvOnStridedSubmatrix() {
        // Rows 2..<5, columns 1..<7 of a 6 x 9 matrix through the raw-pointer form (lda = 9).
        var rng = RNG(seed: 25)
        let a = randomMatrix(6, 9, &rng)
        let x = randomVector(6, &rng)
        var y = [Float](repeating: 0, count: 3)
        a.storage.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    Kernels.gemv(rows: 3, cols: 6, a: ap.baseAddress! + 2 * 9 + 1, lda: 9, x: xp.baseAddress!, y: yp.baseAddress!)
                }
            }
        }
        for r in 0..<3 {
            var s: Float = 0
            for c in 0..<6 { s += a[r + 2, c + 1] * x[c] }
            #expect(abs(y[r] - s) < 1e-5)
        }
        // Dense raw-buffer forms (row stride = cols): gemvT then ger on a 6 x 9 buffer.
        var z = [Float](repeating: 0, count: 9)
        var b = a
        a.storage.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                z.withUnsafeMutableBufferPointer { zp in
                    guard let ab = ap.baseAddress, let xb = xp.baseAddress, let zb = zp.baseAddress else { return }
                    Kernels.gemvT(rows: 6, cols: 9, a: ab, x: xb, y: zb)
                }
            }
        }
        let zt = a.transposed * x
        for c in 0..<9 { #expect(abs(z[c] - zt[c]) < 1e-5) }
        b.storage.withUnsafeMutableBufferPointer { bp in
            x.withUnsafeBufferPointer { xp in
                z.withUnsafeBufferPointer { zp in
                    guard let bb = bp.baseAddress, let xb = xp.baseAddress, let zb = zp.baseAddress else { return }
                    Kernels.ger(rows: 6, cols: 9, alpha: 1, x: xb, y: zb, a: bb)
                }
            }
        }
        for r in 0..<6 { for c in 0..<9 { #expect(abs(b[r, c] - (a[r, c] + x[r] * z[c])) < 1e-5) } }
    }

    @Test func gerDotAxpyMatchNaive() {
        var rng = RNG(seed: 26)
        for n in [0, 1, 7, 8, 31, 32, 33, 100] {
            let x = randomVector(n, &rng), y = randomVector(n, &rng)
            var s = 0.0
            for i in 0..<n { s += Double(x[i]) * Double(y[i]) }
            #expect(abs(Double(Kernels.dot(x, y)) - s) < sumTolerance(n))
            var z = y
            Kernels.axpy(-0.5, x, &z)
            for i in 0..<n { #expect(abs(z[i] - (y[i] - 0.5 * x[i])) < 1e-6) }
            #expect(abs(Double(Kernels.sum(x)) - x.reduce(0.0) { $0 + Double($1) }) < sumTolerance(n))
        }
        var a = randomMatrix(5, 11, &rng)
        let a0 = a
        let u = randomVector(5, &rng), v = randomVector(11, &rng)
        Kernels.ger(2, u, v, &a)
        for r in 0..<5 { for c in 0..<11 { #expect(abs(a[r, c] - (a0[r, c] + 2 * u[r] * v[c])) < 1e-6) } }
    }

    @Test func elementwiseOps() {
        var rng = RNG(seed: 27)
        for n in [0, 3, 8, 19] {
            let x = randomVector(n, &rng), y = randomVector(n, &rng)
            var z = [Float](repeating: 0, count: n)
            Kernels.add(x, y, into: &z)
            #expect(z == (0..<n).map { x[$0] + y[$0] })
            Kernels.subtract(x, y, into: &z)
            #expect(z == (0..<n).map { x[$0] - y[$0] })
            Kernels.hadamard(x, y, into: &z)
            #expect(z == (0..<n).map { x[$0] * y[$0] })
            var w = x
            Kernels.scale(3, &w)
            #expect(w == x.map { 3 * $0 })
            Kernels.map(x, into: &z) { max(0, $0) }
            #expect(z == x.map { max(0, $0) })
            Kernels.map(&w) { -$0 }
            #expect(w == x.map { -3 * $0 })
        }
    }
}
