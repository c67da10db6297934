import Testing
@testable import SynCore

@Suite struct MatrixViewTests {
    @Test func blockViewsReadWithoutCopying() {
        let m = Matrix(rows: 4, cols: 5) { r, c in Float(10 * r + c) }
        m.withView { v in
            let b = v.block(rows: 1..<3, cols: 2..<5)
            #expect(b.rows == 2 && b.cols == 3 && b.stride == 5)
            #expect(b[0, 0] == 12 && b[1, 2] == 24)
            #expect(Array(b.row(1)) == [22, 23, 24])
            #expect(b.copy() == Matrix(rows: 2, cols: 3, storage: [12, 13, 14, 22, 23, 24]))
            #expect(v.rows(3..<4).copy().storage == m.row(3))
        }
        #expect(Array(m.rowSlice(2)) == m.row(2))
        #expect(m.withRow(1) { Array($0) } == [10, 11, 12, 13, 14])
    }

    @Test func mutableViewsWriteThrough() {
        var m = Matrix(rows: 3, cols: 4)
        m.withMutableView { v in
            v.block(rows: 1..<3, cols: 1..<3).fill(7)
            v[0, 3] = 2
        }
        #expect(m.storage == [0, 0, 0, 2, 0, 7, 7, 0, 0, 7, 7, 0])
        m.withMutableRow(0) { $0[0] = -1 }
        m.setRow(2, [1, 2, 3, 4])
        #expect(m.row(0) == [-1, 0, 0, 2] && m.row(2) == [1, 2, 3, 4])
        var e = Matrix(rows: 0, cols: 3)
        #expect(e.withMutableView { $0.rows } == 0)
        #expect(e.withView { $0.cols } == 3)
    }

    @Test func kernelsOnSubBlocksMatchCopies() {
        var rng = RNG(seed: 31)
        let big = randomMatrix(20, 30, &rng)
        let x = randomVector(7, &rng)
        var c = Matrix(rows: 9, cols: 11, repeating: 5)
        big.withView { v in
            let a = v.block(rows: 2..<11, cols: 3..<10)     // 9 x 7
            let b = v.block(rows: 12..<19, cols: 4..<15)    // 7 x 11
            c.withMutableView { cv in
                Kernels.gemm(a, b, into: cv.block(rows: 0..<9, cols: 0..<11), alpha: 2, beta: 1)
            }
            var expected = Matrix(rows: 9, cols: 11, repeating: 5)
            Kernels.gemm(a.copy(), b.copy(), into: &expected, alpha: 2, beta: 1)
            for i in 0..<(9 * 11) { #expect(abs(c.storage[i] - expected.storage[i]) < 1e-5) }

            var y = [Float](repeating: 0, count: 9)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    guard let xb = xp.baseAddress, let yb = yp.baseAddress else { return }
                    Kernels.gemv(a, x: xb, into: yb)
                }
            }
            let ref = a.copy() * x
            for i in 0..<9 { #expect(abs(y[i] - ref[i]) < 1e-5) }
        }
    }

    @Test func operatorsMatchKernels() {
        let a = Matrix(rows: 2, cols: 3, storage: [1, 2, 3, 4, 5, 6])
        #expect(a * [1, 0, -1] == [-2, -2])
        #expect(a * Matrix.identity(3) == a)
        #expect((a * a.transposed).storage == [14, 32, 32, 77])
    }
}
