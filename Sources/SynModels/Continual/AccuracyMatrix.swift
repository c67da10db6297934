/// The accuracy matrix of a continual-learning run: R[t, u] = accuracy on task u's test set
/// after training task t (0-based here, 1-based in the papers), NaN until evaluated. From it the
/// boundary metrics of the science README ("Continual-learning protocol and metrics"), each
/// after task t (the last finished task; the paper's T when t is the final task):
///
/// - ACC = (1/(t+1)) Σ_{u≤t} R[t, u]
/// - BWT = (1/t) Σ_{u<t} (R[t, u] − R[u, u])   (negative = forgetting; NaN for t = 0)
/// - FORG = (1/t) Σ_{u<t} (max_{s<t} R[s, u] − R[t, u])   (NaN for t = 0)
/// - FWT = (1/t) Σ_{1≤u≤t} (R[u−1, u] − b_u)   (forward transfer, Lopez-Paz & Ranzato 2017: how
///   well task u is done before it is trained, against b_u, its accuracy at initialisation; NaN
///   for t = 0 or while a needed entry is missing)
public struct AccuracyMatrix: Sendable, Equatable {
    public let tasks: Int
    /// Row-major tasks x tasks, NaN where not evaluated.
    public private(set) var values: [Double]
    /// b_u: accuracy of each task at initialisation, before any training (NaN until recorded).
    public private(set) var baseline: [Double]

    public init(tasks: Int) {
        precondition(tasks > 0)
        self.tasks = tasks
        values = [Double](repeating: .nan, count: tasks * tasks)
        baseline = [Double](repeating: .nan, count: tasks)
    }

    /// A matrix from rows (tests, examples): row t holds R[t, 0..<tasks].
    public init(rows: [[Double]]) {
        self.init(tasks: rows.count)
        for (t, row) in rows.enumerated() { setRow(t, row) }
    }

    public subscript(t: Int, u: Int) -> Double { values[t * tasks + u] }

    /// Records the evaluation of every task after training task t.
    public mutating func setRow(_ t: Int, _ accuracies: [Double]) {
        precondition(accuracies.count == tasks)
        for u in 0..<tasks { values[t * tasks + u] = accuracies[u] }
    }

    /// Records every task's accuracy at initialisation (FWT's reference b_u).
    public mutating func setBaseline(_ accuracies: [Double]) {
        precondition(accuracies.count == tasks)
        baseline = accuracies
    }

    /// FWT after task t: mean accuracy gain of each later-learned task, measured just before its
    /// training started, over its accuracy at initialisation.
    public func fwt(after t: Int) -> Double {
        guard t > 0 else { return .nan }
        return (1...t).reduce(0) { $0 + self[$1 - 1, $1] - baseline[$1] } / Double(t)
    }

    /// ACC after task t: mean accuracy over the tasks learned so far.
    public func acc(after t: Int) -> Double {
        (0...t).reduce(0) { $0 + self[t, $1] } / Double(t + 1)
    }

    /// BWT after task t: mean change of each earlier task's accuracy since it was learned.
    public func bwt(after t: Int) -> Double {
        guard t > 0 else { return .nan }
        return (0..<t).reduce(0) { $0 + self[t, $1] - self[$1, $1] } / Double(t)
    }

    /// Average forgetting after task t: best earlier accuracy minus the current one.
    public func forgetting(after t: Int) -> Double {
        guard t > 0 else { return .nan }
        var sum = 0.0
        for u in 0..<t {
            let best = (u..<t).reduce(-Double.infinity) { max($0, self[$1, u]) }
            sum += best - self[t, u]
        }
        return sum / Double(t)
    }
}
