import Testing
@testable import SynModels

/// ACC, BWT, forgetting and the continual-evaluation metrics on hand-computed examples.
@Suite struct ContinualMetricsTests {
    /// R[t, u] for three tasks (NaN: not yet learned).
    static let r = AccuracyMatrix(rows: [[0.9, .nan, .nan],
                                         [0.95, 0.8, .nan],
                                         [0.5, 0.7, 0.95]])

    @Test func accIsTheMeanOverLearnedTasks() {
        #expect(Self.r.acc(after: 0) == 0.9)
        #expect(abs(Self.r.acc(after: 1) - 0.875) < 1e-12)
        #expect(abs(Self.r.acc(after: 2) - (0.5 + 0.7 + 0.95) / 3) < 1e-12)
    }

    @Test func bwtComparesWithTheAccuracyJustAfterLearning() {
        #expect(Self.r.bwt(after: 0).isNaN)
        #expect(abs(Self.r.bwt(after: 1) - 0.05) < 1e-12)
        // ((0.5 - 0.9) + (0.7 - 0.8)) / 2
        #expect(abs(Self.r.bwt(after: 2) - -0.25) < 1e-12)
    }

    @Test func forgettingComparesWithTheBestEarlierAccuracy() {
        #expect(Self.r.forgetting(after: 0).isNaN)
        // Task 1's best was 0.95 (after task 2), not R[0, 0]: ((0.95 - 0.5) + (0.8 - 0.7)) / 2.
        #expect(abs(Self.r.forgetting(after: 2) - 0.275) < 1e-12)
    }

    /// Two tasks, window Δ = 3 evaluations, LCA over β = 2; each line's expected values worked
    /// out by hand from the definitions in `ContinualEvaluation`.
    @Test func continualMetricsFollowTheirDefinitions() {
        var e = ContinualEvaluation(tasks: 2, window: 3, lcaCount: 2)
        e.record(task: 0, accuracies: [0.2, .nan])
        e.record(task: 0, accuracies: [0.6, .nan])
        #expect(e.minACC.isNaN)
        #expect(e.wcACC == 0.6)
        #expect(e.windowedForgetting.isNaN)
        #expect(abs(e.windowedPlasticity - 0.4) < 1e-12)
        #expect(abs(e.lca - 0.4) < 1e-12)
        e.record(task: 0, accuracies: [0.9, .nan])  // the end of task 1
        #expect(abs(e.windowedPlasticity - 0.7) < 1e-12)
        #expect(abs(e.lca - 0.4) < 1e-12)  // only the first β = 2 evaluations count
        e.record(task: 1, accuracies: [0.3, 0.1])
        #expect(abs(e.minACC - 0.3) < 1e-12)
        #expect(abs(e.wcACC - (0.5 * 0.1 + 0.5 * 0.3)) < 1e-12)
        #expect(e.windowedForgetting.isNaN)  // one evaluation since task 1 ended
        #expect(e.windowedPlasticity.isNaN)
        #expect(abs(e.lca - 0.25) < 1e-12)
        e.record(task: 1, accuracies: [0.7, 0.5])
        #expect(abs(e.minACC - 0.3) < 1e-12)  // the running minimum keeps the dip
        #expect(e.windowedForgetting == 0)  // 0.3 -> 0.7 only rises
        #expect(abs(e.wcACC - 0.4) < 1e-12)
        #expect(abs(e.lca - 0.35) < 1e-12)
        e.record(task: 1, accuracies: [0.4, 0.8])
        #expect(abs(e.windowedForgetting - 0.3) < 1e-12)  // 0.7 -> 0.4 within the window
        #expect(abs(e.windowedPlasticity - 0.7) < 1e-12)  // 0.1 -> 0.8
        #expect(abs(e.wcACC - 0.55) < 1e-12)
        #expect(abs(e.averageAccuracy - 0.6) < 1e-12)
    }

    @Test func minAccIsAveragedOverTheFinishedTasks() {
        var e = ContinualEvaluation(tasks: 3)
        e.record(task: 0, accuracies: [1, .nan, .nan])
        e.record(task: 1, accuracies: [0.4, 1, .nan])
        e.record(task: 2, accuracies: [0.6, 0.2, 0.9])
        e.record(task: 2, accuracies: [0.8, 0.5, 1])
        // Task 1: min(0.4, 0.6, 0.8) = 0.4; task 2: min(0.2, 0.5) = 0.2 (its own evaluation at
        // the end of task 2 is not after it ended).
        #expect(abs(e.minACC - 0.3) < 1e-12)
        #expect(abs(e.wcACC - (1.0 / 3 * 1 + 2.0 / 3 * 0.3)) < 1e-12)
    }
}
