import SynCore

/// Samples of a supervised task: inputs `x` (count x inputs) and targets `y` (count x outputs).
/// For classification `y` is one-hot and `labels` holds the class indices; for regression
/// `labels` is empty. Row-major Float32, so a sample's input and target are contiguous.
public struct TaskSet: Sendable, Equatable {
    public var x: Matrix
    public var y: Matrix
    public var labels: [Int]

    public init(x: Matrix, y: Matrix, labels: [Int] = []) {
        precondition(x.rows == y.rows && (labels.isEmpty || labels.count == x.rows))
        self.x = x
        self.y = y
        self.labels = labels
    }

    /// A classification set from inputs and labels in 0..<classes (targets one-hot).
    public init(x: Matrix, labels: [Int], classes: Int) {
        var y = Matrix(rows: x.rows, cols: classes)
        for (i, l) in labels.enumerated() { y[i, l] = 1 }
        self.init(x: x, y: y, labels: labels)
    }

    public var count: Int { x.rows }
    public var inputs: Int { x.cols }
    public var outputs: Int { y.cols }
}

/// A supervised task: a train and a held-out test split of the same distribution.
public struct SupervisedTask: Sendable, Equatable {
    /// Short name (`digits`, `xor`, `spirals`, ...).
    public var name: String
    public var train: TaskSet
    public var test: TaskSet
    /// Number of classes (0 for regression).
    public var classes: Int
    /// Image shape of an input (for receptive-field tiles), when inputs are images.
    public var imageRows: Int
    public var imageCols: Int

    public init(name: String, train: TaskSet, test: TaskSet, classes: Int, imageRows: Int = 0, imageCols: Int = 0) {
        self.name = name
        self.train = train
        self.test = test
        self.classes = classes
        self.imageRows = imageRows
        self.imageCols = imageCols
    }

    public var isClassification: Bool { classes > 0 }
    public var inputs: Int { train.inputs }
    public var outputs: Int { train.outputs }
}

/// Per-sample visiting order: a fresh random permutation of `0..<count` every epoch, drawn
/// from its own RNG stream (the same scheme as the numpy/PyTorch reference scripts).
public struct SampleStream: Sendable {
    public let count: Int
    public private(set) var order: [Int]
    public private(set) var position: Int = 0
    public private(set) var epoch: Int = 0
    var rng: RNG

    public init(count: Int, rng: RNG) {
        precondition(count > 0)
        self.count = count
        self.rng = rng
        order = Array(0..<count)
        self.rng.shuffle(&order)
    }

    /// The next sample index (reshuffling at each epoch boundary).
    public mutating func next() -> Int {
        if position == count {
            rng.shuffle(&order)
            position = 0
            epoch += 1
        }
        defer { position += 1 }
        return order[position]
    }

    /// Fills `batch` with the next `batch.count` indices (no allocation).
    public mutating func next(into batch: inout [Int]) {
        for i in 0..<batch.count { batch[i] = next() }
    }
}
