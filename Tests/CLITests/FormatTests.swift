import Testing
@testable import synaptop

@Suite struct RunSummaryFormatTests {
    /// The summary formats through NumberFormat: scientific notation rolls the mantissa over
    /// (9.999e-5 prints as 1e-04, not 10e-05) and trims trailing zeros.
    @Test func summaryNumbersUseTheOneFormatter() {
        #expect(Fmt.num(9.999e-5, 4) == "1e-04")
        #expect(Fmt.num(-9.999e-5, 4) == "-1e-04")
        #expect(Fmt.num(3.14159e-5, 4) == "3.14e-05")
        #expect(Fmt.num(2.5e8, 2) == "2.5e+08")
        #expect(Fmt.num(0.91234, 4) == "0.9123")
        #expect(Fmt.num(12.0, 2) == "12")
        #expect(Fmt.si(3_470_000) == "3.47M" && Fmt.si(12_500) == "12.5k" && Fmt.si(950) == "950")
    }
}
