/// Compressed sparse row (CSR) matrix: row r's entries are `colIndex[rowStart[r]..<rowStart[r+1]]`
/// with `values` alongside.
///
/// For synapses a row is a presynaptic neuron and a column a postsynaptic one, so a spike of
/// neuron i walks one contiguous row (event-driven propagation touches only its out-synapses).
public struct SparseMatrix: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    public private(set) var rowStart: [Int32]
    public private(set) var colIndex: [Int32]
    public var values: [Float]

    /// Number of stored entries.
    public var nonzeros: Int { colIndex.count }

    /// Builds from (row, col, value) triplets; entries of a row keep their column order sorted.
    /// Duplicates are kept as separate entries (multapses).
    public init(rows: Int, cols: Int, entries: [(row: Int, col: Int, value: Float)]) {
        self.rows = rows
        self.cols = cols
        var counts = [Int32](repeating: 0, count: rows + 1)
        for e in entries {
            precondition(e.row >= 0 && e.row < rows && e.col >= 0 && e.col < cols, "CSR entry out of range")
            counts[e.row + 1] += 1
        }
        for r in 0..<rows { counts[r + 1] += counts[r] }
        rowStart = counts
        var next = counts
        colIndex = [Int32](repeating: 0, count: entries.count)
        values = [Float](repeating: 0, count: entries.count)
        let sorted = entries.sorted { ($0.row, $0.col) < ($1.row, $1.col) }
        for e in sorted {
            let k = Int(next[e.row])
            colIndex[k] = Int32(e.col)
            values[k] = e.value
            next[e.row] += 1
        }
    }

    /// Builds directly from CSR arrays (validated).
    public init(rows: Int, cols: Int, rowStart: [Int32], colIndex: [Int32], values: [Float]) {
        precondition(rowStart.count == rows + 1 && colIndex.count == values.count)
        precondition(rowStart.last.map { Int($0) == colIndex.count } ?? false)
        self.rows = rows
        self.cols = cols
        self.rowStart = rowStart
        self.colIndex = colIndex
        self.values = values
    }

    /// The dense equivalent (duplicates summed).
    public func dense() -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for r in 0..<rows {
            for k in Int(rowStart[r])..<Int(rowStart[r + 1]) { m[r, Int(colIndex[k])] += values[k] }
        }
        return m
    }

    /// y <- A^T x: the input each column (postsynaptic neuron) receives when rows fire with
    /// strength x. This is what spike propagation computes for x = spike indicator.
    public func transposeMultiply(_ x: [Float], into y: inout [Float]) {
        precondition(x.count == rows && y.count == cols, "transposeMultiply: \(rows)x\(cols), x \(x.count), y \(y.count)")
        rowStart.withUnsafeBufferPointer { rs in
            colIndex.withUnsafeBufferPointer { ci in
                values.withUnsafeBufferPointer { v in
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { yp in
                            for i in 0..<yp.count { yp[i] = 0 }
                            for r in 0..<xp.count where xp[r] != 0 {
                                let xr = xp[r]
                                for k in Int(rs[r])..<Int(rs[r + 1]) { yp[Int(ci[k])] += xr * v[k] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// y_c <- y_c + scale * sum over r in `active` of A[r, c]: event-driven propagation of the
    /// spikes of the rows in `active` (each listed once per spike; duplicates add up).
    public func accumulateRows(_ active: [Int], scale: Float = 1, into y: inout [Float]) {
        precondition(y.count == cols, "accumulateRows: \(cols) columns, y \(y.count)")
        rowStart.withUnsafeBufferPointer { rs in
            colIndex.withUnsafeBufferPointer { ci in
                values.withUnsafeBufferPointer { v in
                    y.withUnsafeMutableBufferPointer { yp in
                        for r in active {
                            precondition(r >= 0 && r < rows, "accumulateRows: row \(r) outside 0..<\(rows)")
                            for k in Int(rs[r])..<Int(rs[r + 1]) { yp[Int(ci[k])] += scale * v[k] }
                        }
                    }
                }
            }
        }
    }

    /// y <- A x.
    public func multiply(_ x: [Float], into y: inout [Float]) {
        precondition(x.count == cols && y.count == rows, "multiply: \(rows)x\(cols), x \(x.count), y \(y.count)")
        rowStart.withUnsafeBufferPointer { rs in
            colIndex.withUnsafeBufferPointer { ci in
                values.withUnsafeBufferPointer { v in
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { yp in
                            for r in 0..<yp.count {
                                var s: Float = 0
                                for k in Int(rs[r])..<Int(rs[r + 1]) { s += v[k] * xp[Int(ci[k])] }
                                yp[r] = s
                            }
                        }
                    }
                }
            }
        }
    }

    /// Number of entries in each column (the in-degree of each postsynaptic neuron).
    public func columnCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: cols)
        for c in colIndex { counts[Int(c)] += 1 }
        return counts
    }
}

// MARK: - Connectivity builders

extension SparseMatrix {
    /// Largest number of stored entries a builder accepts (indices are Int32).
    public static let maxNonzeros = Int(Int32.max) - 1

    /// Each ordered pair (r, c) is connected independently with probability `p` (Bernoulli per
    /// pair; with `allowSelfConnections == false`, pairs r == c are never connected). All
    /// entries get `weight`; redraw `values` afterwards for random weights. Drawn by
    /// `Connectivity.fixedProbability` (geometric skipping: O(rows + nonzeros)).
    public static func fixedProbability(rows: Int, cols: Int, p: Double, allowSelfConnections: Bool = true,
                                        weight: Float = 1, rng: inout RNG) -> SparseMatrix {
        precondition(rows >= 0 && cols >= 0, "fixedProbability: negative size")
        precondition(p >= 0 && p <= 1, "fixedProbability: p = \(p) outside [0, 1]")
        let (total, overflow) = rows.multipliedReportingOverflow(by: cols)
        precondition(!overflow, "fixedProbability: \(rows)x\(cols) is too large")
        precondition(Double(total) * p <= Double(maxNonzeros) / 2, "fixedProbability: expected \(Double(total) * p) entries exceeds the limit")
        return build(rows: rows, cols: cols, .fixedProbability(p, allowSelf: allowSelfConnections), weight: weight, rng: &rng)
    }

    /// Every column (target) receives exactly `inDegree` entries from distinct rows drawn
    /// uniformly without replacement (excluding r == c when `allowSelfConnections` is false).
    /// Drawn by `Connectivity.fixedInDegree`.
    public static func fixedInDegree(rows: Int, cols: Int, inDegree: Int, allowSelfConnections: Bool = true,
                                     weight: Float = 1, rng: inout RNG) -> SparseMatrix {
        precondition(rows >= 0 && cols >= 0 && inDegree >= 0, "fixedInDegree: negative size")
        let pool = !allowSelfConnections && rows == cols ? rows - 1 : rows
        precondition(cols == 0 || inDegree <= pool, "fixedInDegree: in-degree \(inDegree) exceeds the \(pool) available rows")
        let (nnz, overflow) = cols.multipliedReportingOverflow(by: inDegree)
        precondition(!overflow && nnz <= maxNonzeros, "fixedInDegree: \(cols) x \(inDegree) entries exceeds the limit")
        return build(rows: rows, cols: cols, .fixedInDegree(inDegree, allowSelf: allowSelfConnections), weight: weight, rng: &rng)
    }

    /// The pattern drawn by `connectivity`, every entry `weight`.
    public static func build(rows: Int, cols: Int, _ connectivity: Connectivity, weight: Float = 1, rng: inout RNG) -> SparseMatrix {
        let (rowStart, colIndex) = connectivity.draw(rows: rows, cols: cols, rng: &rng)
        precondition(colIndex.count <= maxNonzeros, "\(connectivity): \(colIndex.count) entries exceeds the limit")
        return SparseMatrix(rows: rows, cols: cols, rowStart: rowStart, colIndex: colIndex,
                            values: [Float](repeating: weight, count: colIndex.count))
    }

    /// The n x n diagonal: row i connects to column i only.
    public static func oneToOne(_ n: Int, weight: Float = 1) -> SparseMatrix {
        precondition(n >= 0 && n <= maxNonzeros, "oneToOne: size \(n) outside [0, \(maxNonzeros)]")
        return SparseMatrix(rows: n, cols: n, rowStart: (0...n).map { Int32($0) }, colIndex: (0..<n).map { Int32($0) },
                            values: [Float](repeating: weight, count: n))
    }

    /// Every row connects to every column (except r == c when `allowSelfConnections` is false).
    public static func allToAll(rows: Int, cols: Int, allowSelfConnections: Bool = true, weight: Float = 1) -> SparseMatrix {
        precondition(rows >= 0 && cols >= 0, "allToAll: negative size")
        let (nnz, overflow) = rows.multipliedReportingOverflow(by: cols)
        precondition(!overflow && nnz <= maxNonzeros, "allToAll: \(rows)x\(cols) exceeds the entry limit")
        var rng = RNG(seed: 0)  // unused: a full pattern draws nothing
        let pattern: Connectivity = allowSelfConnections ? .allToAll : .fixedProbability(1, allowSelf: false)
        return build(rows: rows, cols: cols, pattern, weight: weight, rng: &rng)
    }
}
