import Testing
@testable import SynBench

/// The benchmark suite's contract: the groups the README and the bench JSON name exist, and
/// the spiking cases report their figures in the documented order.
@Suite struct BenchSuiteTests {
    @Test func groupsAndFiguresAreTheDocumentedOnes() {
        let all = BenchSuite.all()
        #expect(all.contains { $0.group == "cuba" && $0.name == "cuba_10s" })
        #expect(all.filter { $0.group == "stdp" }.allSatisfy {
            Array($0.figures.map(\.name).prefix(3)) == ["wall_s_per_bio_s", "syn_events_per_s", "peak_mib"]
        })
        for group in ["kernels", "eigen", "mlp", "scenes", "cuba", "stdp"] {
            #expect(BenchSuite.groups.contains(group), "missing bench group \(group)")
        }
        #expect(!DashboardBench.cases.isEmpty)
    }
}
