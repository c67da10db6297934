import TUICore
import Testing
@testable import TUIWidgets

@Suite struct SpectrumBarsTests {
    @Test func logAxisGivesEachDecadeAnEqualShare() {
        // 1000 / 1 spans 3 whole decades; the axis shows 4 (down to 0.1) so the smallest shows.
        let s = SpectrumBars(eigenvalues: [1, 1000, 10, 100])
        #expect(s.axis()?.top == 3 && s.axis()?.floor == -1)
        #expect(s.fraction(1000) == 1 && s.fraction(100) == 0.75 && s.fraction(1) == 0.25)
        #expect(s.fraction(0) == 0 && s.fraction(-3) == 0 && s.fraction(.infinity) == 0)
        #expect(SpectrumBars(eigenvalues: [5, 0.5], decades: 2).fraction(0.5) == 0.5)
    }

    @Test func verticalBarsSortedWithReadouts() {
        let s = SpectrumBars(eigenvalues: [10, 1000, 1, 100], readouts: [Readout("PR", 1.2), Readout("dim", "3")])
        // Heights 4, 3, 2, 1 rows of 4 (fractions 1, 3/4, 1/2, 1/4).
        #expect(snapshot(s, 20, 4) == """
            1000┤█       PR: 1.2
                │██      dim: 3
                │███
             0.1┤████
            """)
    }

    @Test func horizontalBarsWithValueLabels() {
        let s = SpectrumBars(eigenvalues: [1000, 100, 10, 1], orientation: .horizontal)
        // 7 bar cells: 56, 42, 28 and 14 eighths (ASCII shows a part of 2/8 as nothing, 4/8 as
        // "-", 6/8 as "=").
        #expect(snapshot(s, 12, 4, theme: .ascii) == """
            1000 #######
             100 #####
              10 ###-
               1 #=
            """)
    }

    @Test func withoutPositiveEigenvaluesSaysSo() {
        #expect(snapshot(SpectrumBars(eigenvalues: [0, -1]), 16, 3) == "\n no values > 0\n")
        #expect(snapshot(SpectrumBars(eigenvalues: []), 5, 1) == "  …")
    }

    @Test func moreEigenvaluesThanColumnsShowsTheLargest() {
        let values = (1...40).map { Double($0) }
        let b = rendered(SpectrumBars(eigenvalues: values), 8, 3)
        // 40 / 1 covers one whole decade, so the axis spans two: 40 down to 10^-0.4 = 0.4.
        // Four bars fit beside the labels; 40...37 all round to full height.
        #expect(b.lines == [" 40┤████", "   │████", "0.4┤████"])
    }
}
