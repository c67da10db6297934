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
        precondition(x.count == rows && y.count == cols)
        for i in 0..<y.count { y[i] = 0 }
        for r in 0..<rows where x[r] != 0 {
            let xr = x[r]
            for k in Int(rowStart[r])..<Int(rowStart[r + 1]) { y[Int(colIndex[k])] += xr * values[k] }
        }
    }

    /// y <- A x.
    public func multiply(_ x: [Float], into y: inout [Float]) {
        precondition(x.count == cols && y.count == rows)
        for r in 0..<rows {
            var s: Float = 0
            for k in Int(rowStart[r])..<Int(rowStart[r + 1]) { s += values[k] * x[Int(colIndex[k])] }
            y[r] = s
        }
    }
}
