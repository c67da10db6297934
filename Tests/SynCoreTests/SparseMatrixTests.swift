import Testing
@testable import SynCore

@Suite struct SparseMatrixTests {
    /// A random sparse matrix via triplets (with duplicates) and its dense twin.
    func randomSparse(_ rows: Int, _ cols: Int, _ rng: inout RNG) -> SparseMatrix {
        var entries: [(row: Int, col: Int, value: Float)] = []
        let count = rng.int(below: rows * cols + 1)
        for _ in 0..<count {
            entries.append((rng.int(below: rows), rng.int(below: cols), rng.uniform(-1, 1)))
        }
        return SparseMatrix(rows: rows, cols: cols, entries: entries)
    }

    @Test func multiplyAndTransposeMultiplyMatchDense() {
        var rng = RNG(seed: 41)
        for (rows, cols) in [(1, 1), (3, 8), (17, 5), (40, 33)] {
            let s = randomSparse(rows, cols, &rng)
            let d = s.dense()
            var x = randomVector(cols, &rng)
            x[0] = 0
            var y = [Float](repeating: 9, count: rows)
            s.multiply(x, into: &y)
            let yd = d * x
            for i in 0..<rows { #expect(abs(y[i] - yd[i]) < 1e-5) }
            var xt = randomVector(rows, &rng)
            xt[0] = 0  // exercises the skip of silent rows
            var z = [Float](repeating: 9, count: cols)
            s.transposeMultiply(xt, into: &z)
            var zd = [Float](repeating: 0, count: cols)
            Kernels.gemvT(d, xt, into: &zd)
            for i in 0..<cols { #expect(abs(z[i] - zd[i]) < 1e-5) }
        }
    }

    @Test func accumulateRowsAddsSpikingRows() {
        var rng = RNG(seed: 42)
        let s = randomSparse(12, 9, &rng)
        let d = s.dense()
        var y = [Float](repeating: 1, count: 9)
        s.accumulateRows([3, 7, 3], scale: 0.5, into: &y)
        for c in 0..<9 { #expect(abs(y[c] - (1 + 0.5 * (2 * d[3, c] + d[7, c]))) < 1e-5) }
    }

    /// Rows' column indices strictly increasing and in range; rowStart consistent.
    func isWellFormed(_ s: SparseMatrix) -> Bool {
        guard s.rowStart.count == s.rows + 1, s.rowStart.first == 0, Int(s.rowStart[s.rows]) == s.nonzeros else { return false }
        for r in 0..<s.rows {
            let range = Int(s.rowStart[r])..<Int(s.rowStart[r + 1])
            if range.lowerBound > range.upperBound { return false }
            var last = -1
            for k in range {
                let c = Int(s.colIndex[k])
                if c <= last || c >= s.cols { return false }
                last = c
            }
        }
        return true
    }

    @Test func fixedProbabilityHasBinomialCountAndNoSelfLoops() {
        var rng = RNG(seed: 43)
        for (n, p) in [(200, 0.1), (150, 0.5), (300, 0.01)] {
            let s = SparseMatrix.fixedProbability(rows: n, cols: n, p: p, allowSelfConnections: false, weight: 0.25, rng: &rng)
            #expect(isWellFormed(s))
            let pairs = Double(n * (n - 1))
            let mean = pairs * p, sd = (pairs * p * (1 - p)).squareRoot()
            // 5 sigma: a false failure has probability < 1e-6.
            #expect(abs(Double(s.nonzeros) - mean) < 5 * sd)
            for r in 0..<n {
                for k in Int(s.rowStart[r])..<Int(s.rowStart[r + 1]) { #expect(Int(s.colIndex[k]) != r) }
            }
            #expect(s.values.allSatisfy { $0 == 0.25 })
        }
        // Rectangular, self connections irrelevant; first-column and last-column rates are alike.
        let s = SparseMatrix.fixedProbability(rows: 400, cols: 3, p: 0.3, rng: &rng)
        #expect(isWellFormed(s))
        let counts = s.columnCounts()
        for c in counts { #expect(abs(Double(c) - 120) < 5 * (400 * 0.3 * 0.7).squareRoot()) }
    }

    @Test func fixedProbabilityEdgeCases() {
        var rng = RNG(seed: 44)
        #expect(SparseMatrix.fixedProbability(rows: 10, cols: 10, p: 0, rng: &rng).nonzeros == 0)
        let full = SparseMatrix.fixedProbability(rows: 6, cols: 6, p: 1, allowSelfConnections: false, rng: &rng)
        #expect(full == SparseMatrix.allToAll(rows: 6, cols: 6, allowSelfConnections: false))
        #expect(SparseMatrix.fixedProbability(rows: 0, cols: 5, p: 0.5, rng: &rng).nonzeros == 0)
        // Same seed, same matrix.
        var a = RNG(seed: 5), b = RNG(seed: 5)
        #expect(SparseMatrix.fixedProbability(rows: 50, cols: 70, p: 0.2, rng: &a)
                == SparseMatrix.fixedProbability(rows: 50, cols: 70, p: 0.2, rng: &b))
    }

    @Test func fixedInDegreeGivesExactDistinctInputs() {
        var rng = RNG(seed: 45)
        for (rows, cols, k, selfOK) in [(30, 30, 29, false), (30, 30, 7, true), (10, 50, 10, true), (100, 20, 3, false)] {
            let s = SparseMatrix.fixedInDegree(rows: rows, cols: cols, inDegree: k, allowSelfConnections: selfOK, rng: &rng)
            #expect(isWellFormed(s))  // also proves no duplicate (row, col) pairs
            #expect(s.columnCounts() == [Int](repeating: k, count: cols))
            if !selfOK && rows == cols {
                for r in 0..<rows {
                    for e in Int(s.rowStart[r])..<Int(s.rowStart[r + 1]) { #expect(Int(s.colIndex[e]) != r) }
                }
            }
        }
        // Uniformity: over many columns, each row is chosen about cols * k / rows times.
        let s = SparseMatrix.fixedInDegree(rows: 20, cols: 2000, inDegree: 5, rng: &rng)
        let expected = 2000.0 * 5 / 20, sd = (2000.0 * 0.25 * 0.75).squareRoot()
        for r in 0..<20 { #expect(abs(Double(s.rowStart[r + 1] - s.rowStart[r]) - expected) < 5 * sd) }
    }

    @Test func oneToOneAndAllToAll() {
        #expect(SparseMatrix.oneToOne(4, weight: 2).dense() == Matrix(rows: 4, cols: 4) { $0 == $1 ? 2 : 0 })
        #expect(SparseMatrix.allToAll(rows: 3, cols: 4, weight: 1).dense() == Matrix(rows: 3, cols: 4, repeating: 1))
        #expect(SparseMatrix.allToAll(rows: 3, cols: 3, allowSelfConnections: false).dense()
                == Matrix(rows: 3, cols: 3) { $0 == $1 ? 0 : 1 })
        #expect(SparseMatrix.oneToOne(0).nonzeros == 0)
    }
}
