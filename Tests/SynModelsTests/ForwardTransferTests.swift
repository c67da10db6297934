import Testing
@testable import SynModels

/// FWT (Lopez-Paz & Ranzato 2017) on a hand-computed accuracy matrix: each task's accuracy just
/// before its training (R[u-1, u]) against its accuracy at initialisation (b_u).
@Suite struct ForwardTransferTests {
    /// Three tasks; the entries above the diagonal are the next task before its training.
    static func matrix() -> AccuracyMatrix {
        var r = AccuracyMatrix(rows: [[0.9, 0.3, .nan],
                                      [0.85, 0.8, 0.5],
                                      [0.7, 0.75, 0.95]])
        r.setBaseline([0.1, 0.1, 0.2])
        return r
    }

    @Test func fwtAveragesTheHeadStartOverInitialisation() {
        let r = Self.matrix()
        #expect(r.fwt(after: 0).isNaN)
        // (R[0, 1] - b_1) = 0.3 - 0.1
        #expect(abs(r.fwt(after: 1) - 0.2) < 1e-12)
        // ((0.3 - 0.1) + (0.5 - 0.2)) / 2
        #expect(abs(r.fwt(after: 2) - 0.25) < 1e-12)
    }

    @Test func fwtIsUndefinedWithoutABaselineAndZeroWithoutTransfer() {
        let unrecorded = AccuracyMatrix(rows: [[0.9, 0.3], [0.8, 0.9]])
        #expect(unrecorded.fwt(after: 1).isNaN)
        var none = AccuracyMatrix(rows: [[0.9, 0.1], [0.8, 0.9]])
        none.setBaseline([0.1, 0.1])
        #expect(none.fwt(after: 1) == 0)
        none.setBaseline([0.1, 0.4])
        #expect(abs(none.fwt(after: 1) - -0.3) < 1e-12)
    }
}
