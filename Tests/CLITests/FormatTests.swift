import Testing
@testable import synaptop

@Suite struct RunSummaryFormatTests {
    /// Scientific notation rolls the mantissa over: 9.999e-5 prints as 1.0e-4, not 10.0e-5.
    @Test func scientificMantissaStaysBelowTen() {
        #expect(Fmt.sci(9.999e-5) == "1.0e-4")
        #expect(Fmt.sci(-9.999e-5) == "-1.0e-4")
        #expect(Fmt.sci(3.14159e-5) == "3.14e-5")
        #expect(Fmt.sci(2.5e8) == "2.5e8")
    }
}
