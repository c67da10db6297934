import Testing
@testable import SynCore

@Suite struct RingBufferTests {
    @Test func keepsNewestInOrderAndWraps() {
        var b = RingBuffer<Int>(capacity: 4)
        #expect(b.isEmpty && b.verifyInvariants().isEmpty)
        for i in 0..<11 {
            b.append(i)
            #expect(b.verifyInvariants().isEmpty)
            let expected = Array(Swift.max(0, i - 3)...i)
            #expect(Array(b) == expected)
            #expect(b.first == expected.first && b.newest == i)
        }
        #expect(b.totalAppended == 11 && b.count == 4 && b.isFull)
        b[0] = 100
        #expect(Array(b) == [100, 8, 9, 10])
        b.removeAll()
        #expect(b.isEmpty && b.verifyInvariants().isEmpty)
        b.append(contentsOf: [1, 2])
        #expect(Array(b) == [1, 2])
    }

    @Test func capacityOneHoldsTheNewest() {
        var b = RingBuffer<String>(capacity: 1)
        for s in ["a", "b", "c"] { b.append(s) }
        #expect(Array(b) == ["c"] && b.verifyInvariants().isEmpty)
    }
}

@Suite struct RunningStatsTests {
    @Test func matchesTwoPassFormulas() {
        var rng = RNG(seed: 51)
        let xs = (0..<1000).map { _ in 1e6 + Double(rng.normal()) }  // large offset: naive formula would cancel
        var s = RunningStats()
        s.add(contentsOf: xs)
        let mean = xs.reduce(0, +) / Double(xs.count)
        let varTwoPass = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)
        #expect(s.count == 1000)
        #expect(abs(s.mean - mean) < 1e-9 * 1e6)
        #expect(abs(s.variance - varTwoPass) < 1e-6 * varTwoPass)
        #expect(s.min == xs.min() && s.max == xs.max())
        #expect(abs(s.populationVariance - varTwoPass * 999 / 1000) < 1e-6 * varTwoPass)
    }

    @Test func mergeEqualsSingleStream() {
        var a = RunningStats(), b = RunningStats(), all = RunningStats()
        for i in 0..<37 { let x = Double(i * i % 11); a.add(x); all.add(x) }
        for i in 0..<23 { let x = Double(i) * 0.5 - 3; b.add(x); all.add(x) }
        let m = a.merged(with: b)
        #expect(m.count == all.count && m.min == all.min && m.max == all.max)
        #expect(abs(m.mean - all.mean) < 1e-12 && abs(m.variance - all.variance) < 1e-10)
        #expect(RunningStats().merged(with: a) == a && a.merged(with: RunningStats()) == a)
        #expect(RunningStats().variance == 0 && RunningStats().mean == 0)
    }
}

@Suite struct MultiResolutionSeriesTests {
    @Test func invariantsHoldWhileGrowing() {
        var s = MultiResolutionSeries(capacityPerLevel: 8)
        for i in 0..<1000 {
            s.append(Double(i % 17) - 8)
            if i % 7 == 0 || i < 40 { #expect(s.verifyInvariants().isEmpty, "after \(i + 1) samples") }
        }
        #expect(s.verifyInvariants().isEmpty)
        #expect(s.count == 1000)
        // Memory is bounded by capacity x levels, levels ~ log2(1000 / 8) + 2.
        #expect(s.storedPoints <= 8 * s.levelCount && s.levelCount <= 10)
    }

    @Test func pointsCoverTheWholeHistoryExactly() {
        var s = MultiResolutionSeries(capacityPerLevel: 16)
        var rng = RNG(seed: 52)
        var ys: [Double] = []
        for _ in 0..<777 {
            let y = Double(rng.uniform(-5, 5))
            ys.append(y)
            s.append(y)
        }
        for maxCount in [1, 3, 16, 40, 100, 1000] {
            let pts = s.points(maxCount: maxCount)
            #expect(pts.count <= maxCount && !pts.isEmpty)
            // Counts add up to every sample, buckets are contiguous and ordered.
            #expect(pts.reduce(0) { $0 + $1.count } == 777)
            #expect(pts.first?.xFirst == 0 && pts.last?.xLast == 776)
            var next = 0
            for p in pts {
                #expect(p.xFirst == Double(next))
                let slice = ys[next..<(next + p.count)]
                #expect(p.yMin == slice.min() && p.yMax == slice.max())
                #expect(abs(p.yMean - slice.reduce(0, +) / Double(p.count)) < 1e-9)
                #expect(abs(p.x - Double(next) - Double(p.count - 1) / 2) < 1e-9)
                next += p.count
            }
        }
        // The global envelope is exact at any resolution.
        let one = s.points(maxCount: 1)
        #expect(one.count == 1 && one[0].yMin == ys.min() && one[0].yMax == ys.max())
    }

    @Test func shortHistoryIsRaw() {
        var s = MultiResolutionSeries(capacityPerLevel: 32)
        for i in 0..<10 { s.append(Double(i) * 2, at: Double(i) * 0.1) }
        let pts = s.points(maxCount: 50)
        #expect(pts.count == 10 && pts.allSatisfy { $0.count == 1 })
        #expect(pts.map(\.yMean) == (0..<10).map { Double($0) * 2 })
        #expect(s.recent.count == 10)
        #expect(s.points(maxCount: 0).isEmpty && MultiResolutionSeries().points(maxCount: 5).isEmpty)
    }

    @Test func nonFiniteValuesAreSkipped() {
        var s = MultiResolutionSeries(capacityPerLevel: 4)
        s.append(1)
        s.append(.nan)
        s.append(.infinity)
        s.append(3)
        #expect(s.count == 2 && s.skippedNonFinite == 2)
        #expect(s.points(maxCount: 10).map(\.yMean) == [1, 3])
        s.removeAll()
        #expect(s.count == 0 && s.verifyInvariants().isEmpty)
    }
}
