/// A non-owning, read-only view of a row-major block of Floats: `rows x cols`, row `r` starting
/// at `base + r * stride`. Views let kernels work on sub-blocks and rows without copying.
///
/// A view borrows memory: it is valid only inside the closure that produced it
/// (`Matrix.withView`, or your own `withUnsafeBufferPointer`), so it is not `Sendable` and must
/// not escape.
///
/// ```swift
/// w.withView { v in
///     let top = v.rows(0..<8)                        // first 8 rows, no copy
///     Kernels.gemv(top, x: xp, into: yp)
/// }
/// ```
public struct MatrixView {
    public let base: UnsafePointer<Float>
    public let rows: Int
    public let cols: Int
    /// Distance in elements between the starts of consecutive rows (>= cols).
    public let stride: Int

    public init(base: UnsafePointer<Float>, rows: Int, cols: Int, stride: Int) {
        precondition(rows >= 0 && cols >= 0 && stride >= cols, "MatrixView: bad shape \(rows)x\(cols) stride \(stride)")
        self.base = base
        self.rows = rows
        self.cols = cols
        self.stride = stride
    }

    @inlinable public subscript(r: Int, c: Int) -> Float {
        precondition(r >= 0 && r < rows && c >= 0 && c < cols, "MatrixView index (\(r), \(c)) outside \(rows)x\(cols)")
        return base[r * stride + c]
    }

    /// Row `r` as a buffer (no copy).
    @inlinable public func row(_ r: Int) -> UnsafeBufferPointer<Float> {
        precondition(r >= 0 && r < rows, "MatrixView row \(r) outside 0..<\(rows)")
        return UnsafeBufferPointer(start: base + r * stride, count: cols)
    }

    /// The rows in `range` (no copy).
    public func rows(_ range: Range<Int>) -> MatrixView {
        block(rows: range, cols: 0..<cols)
    }

    /// The sub-block `rows x cols` (no copy).
    public func block(rows r: Range<Int>, cols c: Range<Int>) -> MatrixView {
        precondition(r.lowerBound >= 0 && r.upperBound <= rows && c.lowerBound >= 0 && c.upperBound <= cols,
                     "MatrixView block \(r) x \(c) outside \(rows)x\(cols)")
        return MatrixView(base: base + r.lowerBound * stride + c.lowerBound, rows: r.count, cols: c.count, stride: stride)
    }

    /// A dense copy.
    public func copy() -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for r in 0..<rows {
            for c in 0..<cols { m.storage[r * cols + c] = base[r * stride + c] }
        }
        return m
    }
}

/// A non-owning, writable view of a row-major block of Floats (see `MatrixView`).
public struct MutableMatrixView {
    public let base: UnsafeMutablePointer<Float>
    public let rows: Int
    public let cols: Int
    public let stride: Int

    public init(base: UnsafeMutablePointer<Float>, rows: Int, cols: Int, stride: Int) {
        precondition(rows >= 0 && cols >= 0 && stride >= cols, "MutableMatrixView: bad shape \(rows)x\(cols) stride \(stride)")
        self.base = base
        self.rows = rows
        self.cols = cols
        self.stride = stride
    }

    /// The same memory, read-only.
    public var view: MatrixView { MatrixView(base: UnsafePointer(base), rows: rows, cols: cols, stride: stride) }

    @inlinable public subscript(r: Int, c: Int) -> Float {
        get {
            precondition(r >= 0 && r < rows && c >= 0 && c < cols, "MatrixView index (\(r), \(c)) outside \(rows)x\(cols)")
            return base[r * stride + c]
        }
        nonmutating set {
            precondition(r >= 0 && r < rows && c >= 0 && c < cols, "MatrixView index (\(r), \(c)) outside \(rows)x\(cols)")
            base[r * stride + c] = newValue
        }
    }

    /// Row `r` as a writable buffer (no copy).
    @inlinable public func row(_ r: Int) -> UnsafeMutableBufferPointer<Float> {
        precondition(r >= 0 && r < rows, "MatrixView row \(r) outside 0..<\(rows)")
        return UnsafeMutableBufferPointer(start: base + r * stride, count: cols)
    }

    /// The rows in `range` (no copy).
    public func rows(_ range: Range<Int>) -> MutableMatrixView { block(rows: range, cols: 0..<cols) }

    /// The sub-block `rows x cols` (no copy).
    public func block(rows r: Range<Int>, cols c: Range<Int>) -> MutableMatrixView {
        precondition(r.lowerBound >= 0 && r.upperBound <= rows && c.lowerBound >= 0 && c.upperBound <= cols,
                     "MatrixView block \(r) x \(c) outside \(rows)x\(cols)")
        return MutableMatrixView(base: base + r.lowerBound * stride + c.lowerBound, rows: r.count, cols: c.count, stride: stride)
    }

    /// Sets every element to `value`.
    public func fill(_ value: Float) {
        for r in 0..<rows { (base + r * stride).update(repeating: value, count: cols) }
    }
}

extension Matrix {
    /// Calls `body` with a read-only view of the whole matrix (no copy).
    public func withView<R>(_ body: (MatrixView) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { p in
            if let b = p.baseAddress {
                return try body(MatrixView(base: b, rows: rows, cols: cols, stride: cols))
            }
            // Empty storage has no address: lend a dummy one (a 0-element view never reads it).
            var dummy: Float = 0
            return try withUnsafeMutablePointer(to: &dummy) { d in
                try body(MatrixView(base: UnsafePointer(d), rows: rows, cols: cols, stride: cols))
            }
        }
    }

    /// Calls `body` with a writable view of the whole matrix (no copy; unique storage).
    public mutating func withMutableView<R>(_ body: (MutableMatrixView) throws -> R) rethrows -> R {
        let rows = self.rows, cols = self.cols
        return try storage.withUnsafeMutableBufferPointer { p in
            if let b = p.baseAddress {
                return try body(MutableMatrixView(base: b, rows: rows, cols: cols, stride: cols))
            }
            var dummy: Float = 0
            return try withUnsafeMutablePointer(to: &dummy) { d in
                try body(MutableMatrixView(base: d, rows: rows, cols: cols, stride: cols))
            }
        }
    }
}
