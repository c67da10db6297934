import Testing
import SynCore
@testable import SynModels

@Suite struct TaskTests {
    @Test func generatorsAreSeededAndShaped() {
        func all(_ seed: UInt64) -> [SupervisedTask] {
            var r = RNG(seed: seed).stream("task")
            var t = RNG(seed: seed).stream("teacher")
            let teacher = MLP(sizes: [3, 4, 2], hidden: .tanh, output: .linear, rng: &t)
            return [Tasks.xor(count: 40, noise: 0.1, rng: &r), Tasks.spirals(count: 40, noise: 0.05, rng: &r),
                    Tasks.moons(count: 40, noise: 0.1, rng: &r), Tasks.blobs(count: 40, dims: 5, classes: 4, spread: 3, rng: &r),
                    Tasks.teacher(teacher, count: 40, noise: 0, rng: &r), Tasks.bars(count: 40, side: 4, p: 0.2, rng: &r),
                    Tasks.lowRank(count: 40, dims: 6, rank: 2, decay: 0.5, noise: 0.1, rng: &r)]
        }
        let a = all(1), b = all(1), c = all(2)
        #expect(a == b)
        #expect(a != c)
        let shapes = a.map { [$0.inputs, $0.outputs, $0.train.count, $0.test.count] }
        #expect(shapes == [[2, 2, 40, 40], [2, 2, 40, 40], [2, 2, 40, 40], [5, 4, 40, 40], [3, 2, 40, 40], [16, 8, 40, 40], [6, 2, 40, 40]])
        for t in a where t.isClassification {
            #expect(t.train.labels.count == 40)
            for i in 0..<40 { #expect(t.train.y[i, t.train.labels[i]] == 1) }
        }
    }

    @Test func xorLabelsAreTheParityOfTheCornerSigns() {
        var r = RNG(seed: 3)
        let t = Tasks.xor(count: 200, noise: 0, rng: &r)
        for i in 0..<200 { #expect(t.train.labels[i] == ((t.train.x[i, 0] > 0) != (t.train.x[i, 1] > 0) ? 1 : 0)) }
    }

    @Test func barsImagesAreTheUnionOfTheirBars() {
        var r = RNG(seed: 9)
        let t = Tasks.bars(count: 50, side: 5, p: 0.3, rng: &r)
        for i in 0..<50 {
            for row in 0..<5 {
                for col in 0..<5 {
                    let on = t.train.y[i, row] == 1 || t.train.y[i, 5 + col] == 1
                    #expect(t.train.x[i, row * 5 + col] == (on ? 1 : 0))
                }
            }
        }
    }

    @Test func teacherTargetsAreTheTeacherOutputs() {
        var tr = RNG(seed: 1)
        var teacher = MLP(sizes: [4, 6, 1], hidden: .tanh, output: .linear, rng: &tr)
        var r = RNG(seed: 2)
        let t = Tasks.teacher(teacher, count: 10, noise: 0, rng: &r)
        for i in 0..<10 { #expect(teacher.predict(t.train.x.row(i)) == t.train.y.row(i)) }
    }

    @Test func sampleStreamVisitsEverySampleOncePerEpoch() {
        var s = SampleStream(count: 17, rng: RNG(seed: 1))
        for _ in 0..<3 {
            var seen = Set<Int>()
            for _ in 0..<17 { seen.insert(s.next()) }
            #expect(seen == Set(0..<17))
        }
        #expect(s.epoch == 2)
    }

    @Test func batchStreamEqualsRepeatedSingleDraws() {
        var a = SampleStream(count: 10, rng: RNG(seed: 4)), b = a
        var batch = [Int](repeating: -1, count: 7)
        var fromBatches: [Int] = []
        for _ in 0..<3 { a.next(into: &batch); fromBatches += batch }
        let single = (0..<21).map { _ in b.next() }
        #expect(fromBatches == single)
    }
}
