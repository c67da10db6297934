/// A dense, row-major Float32 matrix (value type, copy-on-write storage).
///
/// ```swift
/// var w = Matrix(rows: 16, cols: 64)          // zeros
/// w[3, 5] = 0.5
/// let y = w * x                               // matrix-vector, see Kernels.swift
/// let r = w.rowSlice(3)                        // row 3 without copying
/// ```
/// Vectors are plain `[Float]`. For sub-blocks and raw buffers use `MatrixView` (`withView`).
/// Element (r, c) lives at `storage[r * cols + c]`. Kernels in `Kernels.swift` work on the
/// storage directly through unsafe buffers; nothing here allocates per element.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    public var storage: [Float]

    /// A `rows x cols` matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "negative matrix size")
        self.rows = rows
        self.cols = cols
        storage = [Float](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major storage (`storage.count == rows * cols`).
    public init(rows: Int, cols: Int, storage: [Float]) {
        precondition(storage.count == rows * cols, "storage size \(storage.count) != \(rows)x\(cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A matrix whose element (r, c) is `f(r, c)`.
    public init(rows: Int, cols: Int, _ f: (Int, Int) -> Float) {
        self.init(rows: rows, cols: cols)
        for r in 0..<rows { for c in 0..<cols { storage[r * cols + c] = f(r, c) } }
    }

    /// The n x n identity.
    public static func identity(_ n: Int) -> Matrix { Matrix(rows: n, cols: n) { $0 == $1 ? 1 : 0 } }

    @inlinable public subscript(r: Int, c: Int) -> Float {
        get { storage[r * cols + c] }
        set { storage[r * cols + c] = newValue }
    }

    /// Row `r` as a new array.
    public func row(_ r: Int) -> [Float] { Array(storage[(r * cols)..<((r + 1) * cols)]) }

    /// Column `c` as a new array.
    public func column(_ c: Int) -> [Float] { (0..<rows).map { storage[$0 * cols + c] } }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for r in 0..<rows { for c in 0..<cols { t.storage[c * rows + r] = storage[r * cols + c] } }
        return t
    }

    /// Row `r` as a slice sharing the storage (no copy until mutated).
    public func rowSlice(_ r: Int) -> ArraySlice<Float> {
        precondition(r >= 0 && r < rows, "row \(r) outside 0..<\(rows)")
        return storage[(r * cols)..<((r + 1) * cols)]
    }

    /// Replaces row `r` with `values` (`values.count == cols`).
    public mutating func setRow(_ r: Int, _ values: [Float]) {
        precondition(r >= 0 && r < rows && values.count == cols, "setRow: row \(r) of \(rows), \(values.count) values for \(cols) columns")
        storage.replaceSubrange((r * cols)..<((r + 1) * cols), with: values)
    }

    /// Calls `body` with row `r` as a buffer (no copy).
    public func withRow<R>(_ r: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        precondition(r >= 0 && r < rows, "row \(r) outside 0..<\(rows)")
        return try storage.withUnsafeBufferPointer { p in
            try body(UnsafeBufferPointer(rebasing: p[(r * cols)..<((r + 1) * cols)]))
        }
    }

    /// Calls `body` with row `r` as a writable buffer (no copy).
    public mutating func withMutableRow<R>(_ r: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        precondition(r >= 0 && r < rows, "row \(r) outside 0..<\(rows)")
        let cols = self.cols
        return try storage.withUnsafeMutableBufferPointer { p in
            try body(UnsafeMutableBufferPointer(rebasing: p[(r * cols)..<((r + 1) * cols)]))
        }
    }

    /// Sets every element to `value` (keeps the storage).
    public mutating func fill(_ value: Float) {
        storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = value }
        }
    }

    /// Matrix-vector product A x (allocates the result; use `Kernels.gemv` in hot loops).
    public static func * (a: Matrix, x: [Float]) -> [Float] {
        var y = [Float](repeating: 0, count: a.rows)
        Kernels.gemv(a, x, into: &y)
        return y
    }

    /// Matrix product A B (allocates the result; use `Kernels.gemm` in hot loops).
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, cols: b.cols)
        Kernels.gemm(a, b, into: &c)
        return c
    }
}
