import SynCore

/// Samples of a supervised task: inputs `x` (count x inputs) and targets `y` (count x outputs).
/// For classification `y` is one-hot and `labels` holds the class indices; for regression
/// `labels` is empty. Row-major Float32, so a sample's input and target are contiguous.
public struct TaskSet: Sendable, Equatable {
    public var x: Matrix
    public var y: Matrix
    public var labels: [Int]
    /// Rows whose label was corrupted by label noise (empty: no label noise).
    public var flipped: [Bool] = []

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

    /// The task with every input feature z-scored by the training split's statistics:
    /// x_j <- (x_j - mean_j) / sd_j (population sd over the training samples), applied to both
    /// splits. A feature that is constant in the training split (sd = 0, e.g. a digits corner
    /// pixel) becomes 0.
    public func standardized() -> SupervisedTask {
        let n = train.count, d = train.inputs
        guard n > 0 else { return self }
        var mean = [Double](repeating: 0, count: d), sq = mean
        for i in 0..<n {
            for j in 0..<d { let v = Double(train.x.storage[i * d + j]); mean[j] += v; sq[j] += v * v }
        }
        var scale = [Double](repeating: 0, count: d)
        for j in 0..<d {
            mean[j] /= Double(n)
            let variance = max(0, sq[j] / Double(n) - mean[j] * mean[j])
            scale[j] = variance > 1e-12 ? 1 / variance.squareRoot() : 0
        }
        func apply(_ set: TaskSet) -> TaskSet {
            var out = set
            for i in 0..<set.count {
                for j in 0..<d { out.x.storage[i * d + j] = Float((Double(set.x.storage[i * d + j]) - mean[j]) * scale[j]) }
            }
            return out
        }
        var task = self
        task.train = apply(train)
        task.test = apply(test)
        return task
    }
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
