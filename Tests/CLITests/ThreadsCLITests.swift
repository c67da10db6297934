import Foundation
import Testing

/// `--threads`: a wide rate network run on 1 and 2 threads writes the same metrics file; bad
/// values are one line before any work.
@Suite struct ThreadsCLITests {
    @Test func oneAndTwoThreadsWriteTheSameMetrics() throws {
        var files: [String] = []
        for threads in [1, 2] {
            let out = CLITests.temp("threads\(threads).csv")
            defer { try? FileManager.default.removeItem(atPath: out) }
            // 64-520-500-10: wide enough that each online SGD step is shared over the threads.
            let r = try CLITests.run(["run", "mlp-digits", "--threads", String(threads), "--steps", "60",
                                      "--set", "network.hidden=[520,500]", "--set", "metrics.every=30", "--out", out, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            files.append(try String(contentsOfFile: out, encoding: .utf8))
        }
        #expect(files[0].split(separator: "\n").count == 4)
        #expect(files[0] == files[1])
    }

    @Test(arguments: ["-1", "257"])
    func badThreadCountsAreOneLine(value: String) throws {
        let r = try CLITests.run(["run", "oja", "--threads", value, "--steps", "10"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--threads: expected an integer in [0, 256] (0 = auto), got \(value)"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
