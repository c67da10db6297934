import Testing
import SynCore
import SynModels
@testable import SynScenes

/// An ensemble's copy for seed k equals a plain run from seed k on any thread count; its band
/// holds the statistics of those runs; seed lists parse or fail in one line.
@Suite struct SeedEnsembleTests {
    @Test func eachCopyEqualsAPlainRunOfItsSeedOnAnyThreadCount() throws {
        let spec = try SceneLoader.load(path: scenePath("oja"), overrides: ["metrics.every=25"])
        var two = try SeedEnsemble(spec: spec, seeds: [3, 1, 8])
        while two.step < 150 { two.advance(min(40, 150 - two.step), threads: 2) }
        var one = try SeedEnsemble(spec: spec, seeds: [3, 1, 8])
        one.advance(150, threads: 1)
        for (k, seed) in two.seeds.enumerated() {
            var plain = try SceneSession(spec: spec, seed: seed)
            let rows = [plain.measureRow()] + plain.advance(150)
            #expect(two.rows[k].map(\.step) == rows.map(\.step))
            for (a, b) in zip(two.rows[k], rows) {
                #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern), "seed \(seed) at step \(a.step)")
            }
            #expect(zip(two.rows[k], one.rows[k]).allSatisfy { $0.values.map(\.bitPattern) == $1.values.map(\.bitPattern) })
        }
        // The seeds differ, so the band has width.
        let last = try #require(two.band.last)
        #expect(last.step == 150)
        let spread = last.stats.compactMap { $0 }.filter { $0.max > $0.min }
        #expect(!spread.isEmpty)
    }

    @Test func theBandIsTheStatisticsOfTheSeedsAtEachRow() throws {
        func row(_ step: Int, _ values: [Double]) -> MetricRow { MetricRow(step: step, time: 0, rule: "r", values: values) }
        let copies = [[row(0, [1, .nan]), row(10, [2, .nan])],
                      [row(0, [3, 5]), row(10, [4, .nan])],
                      [row(0, [8, 7])]]
        let band = EnsembleRow.rows(copies, columns: 2)
        // Only the rows every copy measured.
        #expect(band.map(\.step) == [0])
        let a = try #require(band[0].stats[0])
        #expect(a.n == 3 && a.mean == 4 && a.min == 1 && a.max == 8)
        // Sample sd of 1, 3, 8: deviations -3, -1, 4 -> (9 + 1 + 16) / 2 = 13.
        #expect(abs(a.sd - 13.0.squareRoot()) < 1e-12)
        #expect(abs(a.ci95 - 4.3027 * 13.0.squareRoot() / 3.0.squareRoot()) < 1e-9)
        // NaN (undefined) values are left out: two seeds define metric 2.
        let b = try #require(band[0].stats[1])
        #expect(b.n == 2 && b.mean == 6 && b.min == 5 && b.max == 7)
        // A metric undefined for every seed has no statistics, written as nan with n = 0.
        let undefined = EnsembleRow.rows([[row(0, [.nan])], [row(0, [.nan])]], columns: 1)
        #expect(undefined[0].stats == [nil])
        let csv = MetricsWriter.renderBand(undefined, names: ["x"])
        #expect(csv == "step,time,x_mean,x_sd,x_ci95,x_min,x_max,x_n\n0,0,nan,nan,nan,nan,nan,0\n")
    }

    @Test func seedListsParseRangesAndValues() throws {
        #expect(try SeedList.parse("1-5", option: "--seeds", limit: 16).get() == [1, 2, 3, 4, 5])
        #expect(try SeedList.parse("2, 3,9", option: "--seeds", limit: 16).get() == [2, 3, 9])
        #expect(try SeedList.parse("1-3,10", option: "--seeds", limit: 16).get() == [1, 2, 3, 10])
        #expect(try SeedList.parse("0", option: "--seeds", limit: 16).get() == [0])
    }

    @Test(arguments: [("", "is not a seed list"), ("1,,2", "is not a seed list"), ("a", "\"a\" is not a seed"),
                      ("5-2", "runs backwards"), ("1-3,2", "seed 2 is listed twice"), ("1-40", "holds 40 seeds"),
                      ("1-10,20-29", "20 seeds listed"), ("-3", "not a seed"), ("1-2-3", "not a seed"),
                      ("4294967296", "not a seed")])
    func badSeedListsAreOneLine(text: String, why: String) {
        switch SeedList.parse(text, option: "--seeds", limit: 16) {
        case .success(let s): Issue.record("\(text) parsed as \(s)")
        case .failure(let e):
            #expect(e.message.hasPrefix("--seeds: "))
            #expect(e.message.contains(why), "\(e.message)")
            #expect(e.message.contains("at most 16") && !e.message.contains("\n"))
        }
    }

    @Test func aSeedListedTwiceIsRefused() throws {
        let spec = try SceneLoader.load(path: scenePath("oja"))
        #expect(throws: SceneError.self) { _ = try SeedEnsemble(spec: spec, seeds: [1, 1]) }
        #expect(throws: SceneError.self) { _ = try SeedEnsemble(spec: spec, seeds: []) }
    }
}
