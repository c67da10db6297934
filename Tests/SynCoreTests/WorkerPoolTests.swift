import Testing
import Synchronization
@testable import SynCore

@Suite struct WorkerPoolTests {
    /// Ranges are contiguous, cover 0..<n in order, start on granule boundaries and differ in
    /// size by at most one granule.
    @Test func partitionCoversTheRangeInGranules() {
        let r = WorkerPool.partition(1000, parts: 3, granule: 64)
        #expect(r.count == 3)
        #expect(r.first?.lowerBound == 0 && r.last?.upperBound == 1000)
        for k in 1..<r.count { #expect(r[k].lowerBound == r[k - 1].upperBound && r[k].lowerBound % 64 == 0) }
        // 16 granules (the last one partial) over 3 parts: 5, 5, 6 granules.
        #expect(r.map(\.count) == [320, 320, 360])
        // Fewer granules than parts: one range per granule.
        #expect(WorkerPool.partition(100, parts: 4, granule: 64).map(\.count) == [64, 36])
        #expect(WorkerPool.partition(0, parts: 2).map(\.count) == [0])
    }

    /// Every participant runs once per job; after each barrier every participant sees what the
    /// others wrote before it (a broken barrier shows up as a wrong sum in some round).
    @Test(arguments: [1, 2, 3])
    func barrierMakesEveryRoundVisible(participants: Int) {
        let pool = WorkerPool(count: participants)
        let rounds = 500
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: participants)
        let sums = UnsafeMutablePointer<Int>.allocate(capacity: participants)
        slots.initialize(repeating: 0, count: participants)
        sums.initialize(repeating: 0, count: participants)
        defer { slots.deallocate(); sums.deallocate() }
        let s = SharedPointer(slots), out = SharedPointer(sums)
        let runs = Atomic<Int>(0)
        pool.run { p in
            runs.wrappingAdd(1, ordering: .relaxed)
            var total = 0
            for r in 1...rounds {
                s[p] = r * (p + 1)
                pool.barrier()
                for q in 0..<participants { total += s[q] }
                pool.barrier()
            }
            out[p] = total
        }
        #expect(runs.load(ordering: .relaxed) == participants)
        // Each round: sum over q of r (q + 1) = r P (P + 1) / 2.
        let expected = rounds * (rounds + 1) / 2 * participants * (participants + 1) / 2
        for p in 0..<participants { #expect(sums[p] == expected) }
    }

    /// A pool runs many jobs one after another (workers sleep in between).
    @Test func poolRunsRepeatedJobs() {
        let pool = WorkerPool(count: 2)
        let total = Atomic<Int>(0)
        for _ in 0..<100 { pool.run { p in total.wrappingAdd(p + 1, ordering: .relaxed) } }
        #expect(total.load(ordering: .relaxed) == 300)
    }

    @Test func autoThreadsUseEveryCoreUnlessExplicit() {
        #expect(ParallelDefaults.threads(requested: 3) == 3)
        #expect(ParallelDefaults.threads(requested: 0) >= 1)
    }
}
