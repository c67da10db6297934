import Testing
@testable import TUICore

@Suite struct LayoutTests {
    @Test func fixedPartsKeepTheirSizeAndWeightsShareTheRest() {
        #expect(Layout.sizes(length: 24, constraints: [.fixed(1), .weight(1), .fixed(1)]) == [1, 22, 1])
        #expect(Layout.sizes(length: 10, constraints: [.weight(1), .weight(3)]) == [3, 7])  // 2.5 and 7.5: equal remainders, the earlier part gets the extra cell
    }

    @Test func largestRemainderAddsUpExactlyWithEarlierPartsWinningTies() {
        // 10 into thirds: 3.33 each; the leftover cell goes to the first part.
        #expect(Layout.sizes(length: 10, constraints: [.weight(1), .weight(1), .weight(1)]) == [4, 3, 3])
        for length in 0..<50 {
            let sizes = Layout.sizes(length: length, constraints: [.weight(2), .fixed(3), .weight(5), .min(2)])
            #expect(sizes.reduce(0, +) == length, "length \(length): \(sizes)")
        }
    }

    @Test func ratiosRoundCumulativelySoTheyFillExactly() {
        #expect(Layout.sizes(length: 10, constraints: [.ratio(1, 3), .ratio(2, 3)]) == [3, 7])
        #expect(Layout.sizes(length: 11, constraints: [.ratio(1, 3), .ratio(1, 3), .ratio(1, 3)]) == [4, 3, 4])
        // 4.5 rounds up; nothing flexible takes the other 2 cells, so they stay empty.
        #expect(Layout.sizes(length: 9, constraints: [.ratio(1, 2), .fixed(2)]) == [5, 2])
    }

    @Test func minGetsItsMinimumThenAWeightOneShare() {
        #expect(Layout.sizes(length: 20, constraints: [.min(10), .weight(1)]) == [15, 5])
        #expect(Layout.sizes(length: 8, constraints: [.min(10), .weight(1)]) == [8, 0])
    }

    @Test func tooSmallAreaShrinksLaterPartsWithoutCrashing() {
        #expect(Layout.sizes(length: 3, constraints: [.fixed(2), .fixed(2), .fixed(2)]) == [2, 1, 0])
        #expect(Layout.sizes(length: 0, constraints: [.fixed(2), .weight(1), .min(3)]) == [0, 0, 0])
        #expect(Layout.sizes(length: -5, constraints: [.fixed(2)]) == [0])
        #expect(Layout.sizes(length: 5, constraints: []) == [])
        #expect(Layout.sizes(length: 5, constraints: [.fixed(-3), .ratio(1, 0), .weight(-2)]) == [0, 0, 0])
    }

    @Test func spacingSeparatesPartsAndIsDroppedWhenItCannotFit() {
        let rects = Rect(x: 2, y: 1, width: 11, height: 4).columns([.weight(1), .weight(1), .weight(1)], spacing: 1)
        #expect(rects == [Rect(x: 2, y: 1, width: 3, height: 4), Rect(x: 6, y: 1, width: 3, height: 4),
                          Rect(x: 10, y: 1, width: 3, height: 4)])
        #expect(Layout.sizes(length: 1, constraints: [.weight(1), .weight(1)], spacing: 2) == [1, 0])
    }

    @Test func rowsStackTopToBottom() {
        let rows = Rect(x: 0, y: 5, width: 7, height: 10).rows([.fixed(2), .weight(1)])
        #expect(rows == [Rect(x: 0, y: 5, width: 7, height: 2), Rect(x: 0, y: 7, width: 7, height: 8)])
    }
}

@Suite struct RectTests {
    @Test func intersectionOfOverlappingAndDisjointRects() {
        let a = Rect(x: 0, y: 0, width: 10, height: 5), b = Rect(x: 6, y: 3, width: 10, height: 10)
        #expect(a.intersection(b) == Rect(x: 6, y: 3, width: 4, height: 2))
        #expect(a.intersection(Rect(x: 20, y: 0, width: 3, height: 3)).isEmpty)
    }

    @Test func insetNeverGoesNegative() {
        #expect(Rect(x: 1, y: 1, width: 5, height: 4).inset(by: 1) == Rect(x: 2, y: 2, width: 3, height: 2))
        let tiny = Rect(x: 3, y: 3, width: 1, height: 1).inset(by: 2)
        #expect(tiny.isEmpty && tiny.width == 0 && tiny.height == 0)
        #expect(Rect(x: 0, y: 0, width: -4, height: 2).width == 0)
    }

    @Test func splitsAndCentring() {
        let r = Rect(x: 0, y: 0, width: 10, height: 6)
        #expect(r.splitBottom(1).bottom == Rect(x: 0, y: 5, width: 10, height: 1))
        #expect(r.splitLeft(12).rest.isEmpty)
        #expect(r.splitRight(3).right == Rect(x: 7, y: 0, width: 3, height: 6))
        #expect(r.centered(width: 4, height: 2) == Rect(x: 3, y: 2, width: 4, height: 2))
        #expect(r.centered(width: 40, height: 2).width == 10)
    }
}
