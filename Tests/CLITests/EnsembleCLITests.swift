import Foundation
import Testing

/// `synaptop ensemble`: the band file holds the statistics of the plain runs of its seeds; bad
/// options are one line before any work.
@Suite struct EnsembleCLITests {
    @Test func theBandFileHoldsTheStatisticsOfThePlainRuns() throws {
        let band = CLITests.temp("band.csv")
        defer { try? FileManager.default.removeItem(atPath: band) }
        let r = try CLITests.run(["ensemble", "oja", "--seeds", "2-4", "--steps", "400", "--set", "metrics.every=200",
                                  "--out", band, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("oja: ensemble of 3 seeds, 400 steps each"))
        #expect(r.stdout.contains("seed 2") && r.stdout.contains("seed 4"))
        // The last row of each plain run, per metric.
        var finals: [[String: Double]] = []
        for seed in 2...4 {
            let out = CLITests.temp("seed\(seed).csv")
            defer { try? FileManager.default.removeItem(atPath: out) }
            let p = try CLITests.run(["run", "oja", "--seed", String(seed), "--steps", "400", "--set", "metrics.every=200",
                                      "--out", out, "--quiet"])
            #expect(p.status == 0, "\(p.stderr)")
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
            let header = try #require(lines.first), last = try #require(lines.last)
            finals.append(Dictionary(uniqueKeysWithValues: zip(header, last).compactMap { k, v in Double(v).map { (k, $0) } }))
        }
        let lines = try String(contentsOfFile: band, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(lines.count == 4, "header and rows at steps 0, 200, 400")
        let header = try #require(lines.first), last = try #require(lines.last)
        let row = Dictionary(uniqueKeysWithValues: zip(header, last).compactMap { k, v in Double(v).map { (k, $0) } })
        #expect(row["step"] == 400)
        let metrics = header.filter { $0.hasSuffix("_mean") }.map { String($0.dropLast(5)) }
        #expect(!metrics.isEmpty)
        for m in metrics {
            let values = finals.compactMap { $0[m] }.filter(\.isFinite)
            guard !values.isEmpty else { continue }
            let mean = values.reduce(0, +) / Double(values.count)
            // The file and the runs print the same Doubles; the mean is summed in the same order.
            #expect(abs((row[m + "_mean"] ?? .nan) - mean) <= 1e-12 * max(1, abs(mean)), "\(m)")
            #expect(row[m + "_min"] == values.min() && row[m + "_max"] == values.max(), "\(m)")
            #expect(row[m + "_n"] == Double(values.count), "\(m)")
        }
    }

    @Test(arguments: [(["--seeds", "3-1"], "--seeds: the range 3-1 runs backwards"),
                      (["--seeds", "1-300"], "--seeds: the range 1-300 holds 300 seeds"),
                      (["--seed", "4"], "--seed: not with ensemble (the seeds come from --seeds)"),
                      (["--threads", "0"], "--threads: expected an integer in [1, 64], got 0")])
    func badOptionsAreOneLine(args: [String], message: String) throws {
        let r = try CLITests.run(["ensemble", "oja", "--steps", "10"] + args)
        #expect(r.status != 0)
        // One line saying what is wrong, then argument-parser's usage hint.
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.first?.contains(message) == true, "\(r.stderr)")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("Usage:") || $0.contains("--help") }, "\(r.stderr)")
    }
}
