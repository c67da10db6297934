import Testing
import SynCore
@testable import SynModels

/// The task transforms of the continual-learning sequences.
@Suite struct ContinualTaskTests {
    static let digits = Tasks.digits()

    @Test func aRandomPermutationIsABijection() {
        var rng = RNG(seed: 3)
        for n in [1, 2, 64, 100] {
            let p = ContinualTasks.randomPermutation(n, rng: &rng)
            #expect(p.sorted() == Array(0..<n))
        }
    }

    @Test func theFirstPermutedTaskIsTheIdentityAndTheOthersPermuteEveryRow() {
        var rng = RNG(seed: 5)
        let tasks = ContinualTasks.permuted(Self.digits, count: 3, rng: &rng)
        #expect(tasks[0].train == Self.digits.train && tasks[0].test == Self.digits.test)
        for t in tasks.dropFirst() {
            #expect(t.train.x != Self.digits.train.x)
            #expect(t.train.labels == Self.digits.train.labels)
            for i in [0, 7, 1499] { #expect(t.train.x.row(i).sorted() == Self.digits.train.x.row(i).sorted()) }
        }
        #expect(tasks[1].train.x != tasks[2].train.x)
    }

    @Test func permuteMovesFeaturePiJToJ() {
        let set = TaskSet(x: Matrix(rows: 1, cols: 3, storage: [10, 20, 30]), labels: [0], classes: 1)
        #expect(ContinualTasks.permute(set, [2, 0, 1]).x.storage == [30, 10, 20])
    }

    @Test func rotationByZeroIsTheIdentity() {
        let t = ContinualTasks.rotated(Self.digits, degrees: [0])[0]
        #expect(t.train == Self.digits.train)
        #expect(t.test == Self.digits.test)
    }

    @Test func rotationBy90TurnsAPixelAboutTheCentre() {
        // 3x3 image with a 1 at (row 0, col 1); a 90° turn (output reads R(-φ)(p - c) + c) puts it at (1, 0).
        var img = [Float](repeating: 0, count: 9)
        img[1] = 1
        let set = TaskSet(x: Matrix(rows: 1, cols: 9, storage: img), labels: [0], classes: 1)
        let out = ContinualTasks.rotate(set, degrees: 90, rows: 3, cols: 3).x.storage
        #expect(abs(out[3] - 1) < 1e-6)
        #expect(out.enumerated().allSatisfy { $0.offset == 3 || abs($0.element) < 1e-6 })
    }

    @Test func splitTasksHoldOnlyTheirClasses() {
        let tasks = ContinualTasks.split(Self.digits, classesPerTask: 2)
        #expect(tasks.count == 5)
        for (t, task) in tasks.enumerated() {
            let mine = Set([2 * t, 2 * t + 1])
            #expect(!task.train.labels.isEmpty && Set(task.train.labels) == mine)
            #expect(Set(task.test.labels).isSubset(of: mine))
            #expect(task.train.outputs == 10)
            for i in 0..<task.train.count { #expect(task.train.y[i, task.train.labels[i]] == 1) }
        }
        #expect(tasks.reduce(0) { $0 + $1.train.count } == Self.digits.train.count)
        #expect(tasks.reduce(0) { $0 + $1.test.count } == Self.digits.test.count)
    }
}
