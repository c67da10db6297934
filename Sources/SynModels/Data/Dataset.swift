import SynCore

/// A labelled data set: `count` samples of `features` Float32 values (row-major in `x`) and
/// integer labels in 0..<classes. Images carry their shape for receptive-field tiles.
public struct Dataset: Sendable, Equatable {
    public var x: Matrix
    public var labels: [Int]
    public var classes: Int
    /// Image shape (rows, cols) when each sample is an image, else nil.
    public var imageShape: (rows: Int, cols: Int)? {
        get { imageRows > 0 ? (imageRows, imageCols) : nil }
        set { imageRows = newValue?.rows ?? 0; imageCols = newValue?.cols ?? 0 }
    }
    private var imageRows = 0
    private var imageCols = 0

    public init(x: Matrix, labels: [Int], classes: Int, imageShape: (rows: Int, cols: Int)? = nil) {
        precondition(labels.count == x.rows)
        self.x = x
        self.labels = labels
        self.classes = classes
        self.imageShape = imageShape
    }

    public var count: Int { x.rows }
    public var features: Int { x.cols }

    /// Sample i's features.
    public func sample(_ i: Int) -> ArraySlice<Float> { x.storage[(i * x.cols)..<((i + 1) * x.cols)] }

    /// Rows `range` as a new data set.
    public func slice(_ range: Range<Int>) -> Dataset {
        let m = Matrix(rows: range.count, cols: x.cols, storage: Array(x.storage[(range.lowerBound * x.cols)..<(range.upperBound * x.cols)]))
        return Dataset(x: m, labels: Array(labels[range]), classes: classes, imageShape: imageShape)
    }

    /// Per-feature means.
    public func featureMeans() -> [Float] {
        var m = [Float](repeating: 0, count: features)
        guard count > 0 else { return m }
        for i in 0..<count { for j in 0..<features { m[j] += x.storage[i * features + j] } }
        let inv = 1 / Float(count)
        return m.map { $0 * inv }
    }

    /// A copy with every feature's mean (given, or its own) subtracted.
    public func centered(means: [Float]? = nil) -> Dataset {
        let mu = means ?? featureMeans()
        var c = self
        for i in 0..<count { for j in 0..<features { c.x.storage[i * features + j] -= mu[j] } }
        return c
    }

    public static func == (a: Dataset, b: Dataset) -> Bool {
        a.x == b.x && a.labels == b.labels && a.classes == b.classes && a.imageRows == b.imageRows && a.imageCols == b.imageCols
    }
}

/// A failure to read a data file, naming the file and what was wrong.
public struct DataError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
