/// The per-iteration ("continual") evaluation metrics of De Lange, van de Ven & Tuytelaars
/// (ICLR 2023; definitions of the authors' `continual_eval_metrics.py`), updated one
/// evaluation at a time with O(tasks · window) memory. An evaluation is the accuracy A(E_u, f_n)
/// of every task u at iteration n while task k (0-based) is being trained.
///
/// - min-ACC = (1/k) Σ_{i<k} min_{|T_i| < n ≤ now} A(E_i, f_n): the running minimum of each
///   finished task over the evaluations after its last iteration |T_i| (a task without such an
///   evaluation yet is left out; NaN while no task has one).
/// - WC-ACC = (1/(k+1)) A(E_k, f_now) + (1 − 1/(k+1)) min-ACC (= A(E_k) for the first task).
/// - WF^Δ = mean over finished tasks i of max_{n<m in the last Δ evaluations} [A(E_i, f_n) − A(E_i, f_m)]
///   (windowed forgetting, the window counted in evaluations; NaN during the first task).
/// - WP^Δ = max_{n<m in the last Δ evaluations of this task} [A(E_k, f_m) − A(E_k, f_n)] (windowed
///   plasticity of the current task; NaN before it has two evaluations).
/// - LCA_β = mean over tasks learned so far of the mean of their first β evaluations during
///   their own training (learning-curve area).
public struct ContinualEvaluation: Sendable, Equatable {
    public let tasks: Int
    /// Δ: evaluations in the WF / WP window.
    public let window: Int
    /// β: evaluations per task in the LCA.
    public let lcaCount: Int
    /// The task being trained at the last evaluation.
    public private(set) var current = 0
    /// The last evaluation, per task (NaN before the first).
    public private(set) var latest: [Double]
    /// Running minimum of each finished task since its end (NaN: no evaluation since).
    public private(set) var runningMin: [Double]
    /// The last `window` evaluations (oldest first) and the task trained at each.
    private var recent: [[Double]] = []
    private var recentTask: [Int] = []
    private var lcaSum: [Double]
    private var lcaSeen: [Int]

    public init(tasks: Int, window: Int = 10, lcaCount: Int = 10) {
        precondition(tasks > 0 && window >= 2 && lcaCount >= 1)
        self.tasks = tasks
        self.window = window
        self.lcaCount = lcaCount
        latest = [Double](repeating: .nan, count: tasks)
        runningMin = latest
        lcaSum = [Double](repeating: 0, count: tasks)
        lcaSeen = [Int](repeating: 0, count: tasks)
    }

    /// Records the accuracies of every task after an iteration of task `task`. The evaluations
    /// of a task must come in order of the tasks (a later task never goes back to an earlier).
    public mutating func record(task: Int, accuracies: [Double]) {
        precondition(accuracies.count == tasks && task >= current && task < tasks)
        current = task
        latest = accuracies
        for i in 0..<task {
            runningMin[i] = runningMin[i].isNaN ? accuracies[i] : min(runningMin[i], accuracies[i])
        }
        if lcaSeen[task] < lcaCount {
            lcaSum[task] += accuracies[task]
            lcaSeen[task] += 1
        }
        recent.append(accuracies)
        recentTask.append(task)
        if recent.count > window {
            recent.removeFirst()
            recentTask.removeFirst()
        }
    }

    public var minACC: Double {
        let mins = runningMin.prefix(current).filter { !$0.isNaN }
        return mins.isEmpty ? .nan : mins.reduce(0, +) / Double(mins.count)
    }

    public var wcACC: Double {
        let a = latest[current]
        guard current > 0 else { return a }
        let m = minACC
        guard !m.isNaN else { return .nan }
        let w = 1 / Double(current + 1)
        return w * a + (1 - w) * m
    }

    public var windowedForgetting: Double {
        guard current > 0 else { return .nan }
        var sum = 0.0, n = 0
        for i in 0..<current {
            // Only evaluations after task i ended (while a later task trains).
            let series = zip(recent, recentTask).filter { $0.1 > i }.map { $0.0[i] }
            guard series.count >= 2 else { continue }
            sum += largestDrop(series)
            n += 1
        }
        return n == 0 ? .nan : sum / Double(n)
    }

    public var windowedPlasticity: Double {
        let series = zip(recent, recentTask).filter { $0.1 == current }.map { $0.0[current] }
        guard series.count >= 2 else { return .nan }
        return largestDrop(series.map { -$0 })
    }

    public var lca: Double {
        var sum = 0.0, n = 0
        for u in 0...current where lcaSeen[u] > 0 {
            sum += lcaSum[u] / Double(lcaSeen[u])
            n += 1
        }
        return n == 0 ? .nan : sum / Double(n)
    }

    /// Mean accuracy over the tasks seen so far at the last evaluation (NaN before any).
    public var averageAccuracy: Double {
        latest.prefix(current + 1).reduce(0, +) / Double(current + 1)
    }

    /// max_{n<m} (s_n − s_m), floored at 0 (a monotone increase forgets nothing).
    func largestDrop(_ s: [Double]) -> Double {
        var best = 0.0, peak = -Double.infinity
        for v in s {
            peak = max(peak, v)
            best = max(best, peak - v)
        }
        return best
    }
}
