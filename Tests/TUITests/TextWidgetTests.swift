import TUICore
import SynCore
import Testing
@testable import TUIWidgets

@Suite struct TextPanelTests {
    @Test func wrapsWordsAndMarksHiddenText() {
        #expect(snapshot(TextPanel("one two three four five six seven"), 9, 3) == "one two\nthree\nfour fiv…")
        #expect(snapshot(TextPanel("one two three four five six seven", scroll: 3), 9, 3) == "six seven\n\n")
    }

    @Test func keepsParagraphsAndSplitsLongWords() {
        #expect(TextPanel("ab\n\nabcdefgh").wrappedLines(width: 3) == ["ab", "", "abc", "def", "gh"])
        #expect(TextPanel("x").wrappedLines(width: 0) == [])
    }

    @Test func indentedParagraphsKeepTheirIndentAndTone() {
        let panel = TextPanel(paragraphs: [.init("Probe:", tone: .accent), .init("  dw = eta x y", tone: .normal)])
        #expect(panel.wrappedLines(width: 9) == ["Probe:", "  dw =", "  eta x y"])
        let b = rendered(panel, 9, 3)
        #expect(b[0, 0].style == Theme.default.accentText)
        #expect(b[2, 1].style == Theme.default.text)
        // An indent as wide as the area leaves one column for the text.
        #expect(TextPanel("    ab").wrappedLines(width: 3) == ["  a", "  b"])
    }
}

@Suite struct StatusAndKeyBarTests {
    @Test func statusBarRightSegmentsGiveWayToTheLeft() {
        let bar = StatusBar(left: [StatusSegment("run"), StatusSegment("seed 1", tone: .dim)],
                            right: [StatusSegment("a"), StatusSegment("fps 60")])
        #expect(snapshot(bar, 20, 1) == "run  seed 1   fps 60")
        #expect(snapshot(bar, 24, 1) == "run  seed 1    a  fps 60")
        #expect(snapshot(StatusBar(left: [StatusSegment("running long")], right: [StatusSegment("fps")]), 10, 1)
            == "running l…")
        #expect(rendered(bar, 20, 1)[19, 0].attributes.contains(.reverse))
    }

    @Test func keyBarDropsHintsThatDoNotFit() {
        let keys = KeyBar([KeyHint("q", "quit"), KeyHint("p", "pause")])
        #expect(snapshot(keys, 15, 1) == "q quit  p pause")
        #expect(snapshot(keys, 14, 1) == "q quit")
        #expect(snapshot(keys, 3, 1) == "")
        #expect(rendered(keys, 15, 1)[0, 0].fg == Theme.default.accent)
    }
}

@Suite struct OverlayTests {
    @Test func helpOverlayIsCentredAndListsKeys() {
        let help = HelpOverlay(hints: [KeyHint("q", "quit"), KeyHint("space", "pause")])
        #expect(snapshot(help, 20, 6, theme: .ascii) == """

              # Keys ========#
              # q      quit  #
              # space  pause #
              #==============#

            """)
    }

    @Test func helpOverlayScrollsWhenShort() {
        let help = HelpOverlay(hints: [KeyHint("q", "quit"), KeyHint("p", "pause"), KeyHint("r", "reset")])
        #expect(snapshot(help, 14, 4) == """
             ┏ Keys ━━━━┓
             ┃ q  quit  ┃
             ┃ p  pause ┃
             ┗━━━━━ +1 ━┛
            """)
        // Scrolled to the end (clamped): the first entry is above.
        let scrolled = HelpOverlay(hints: help.hints, scroll: 99)
        #expect(snapshot(scrolled, 14, 4) == """
             ┏ Keys -1 ━┓
             ┃ p  pause ┃
             ┃ r  reset ┃
             ┗━━━━━━━━━━┛
            """)
        #expect(HelpOverlay.scrollLimit(hintCount: 3, in: Rect(x: 0, y: 0, width: 14, height: 4)) == 1)
        #expect(HelpOverlay.scrollLimit(hintCount: 3, in: Rect(x: 0, y: 0, width: 14, height: 5)) == 0)
    }

    @Test func tooSmallShortensItsMessageToFit() {
        let t = TooSmall(neededWidth: 80, neededHeight: 24)
        #expect(t.message(width: 60, height: 1) == ["Terminal too small: need 80x24, have 60x1"])
        #expect(snapshot(t, 10, 4) == "\nToo small:\nneed 80x24\n")
        #expect(snapshot(t, 5, 1) == "80x24")
        #expect(snapshot(t, 3, 1) == "80x")
    }
}

@Suite struct NumberFormatTests {
    @Test func compactLabels() {
        let cases: [(Double, String)] = [
            (0, "0"), (1, "1"), (2.25, "2.25"), (31.62, "31.6"), (999.4, "999"), (1500, "1500"),
            (25_000, "25k"), (3_400_000, "3.4M"), (0.034, "0.034"), (0.00001, "1e-05"),
            (0.000123, "1.2e-04"), (-7.1, "-7.1"), (.nan, "nan"), (-.infinity, "-inf"),
        ]
        for (v, s) in cases {
            #expect(NumberFormat.compact(v) == s, "\(v)")
        }
    }

    /// A mantissa that rounds up to 10 moves to the next exponent.
    @Test func scientificMantissaRollsOver() {
        #expect(NumberFormat.compact(0.00999) == "1e-02")
        #expect(NumberFormat.compact(-0.0000996) == "-1e-04")
    }
}

@Suite struct StatusBarPriorityTests {
    @Test func lowPrioritySegmentsGoFirstAndEssentialOnesStay() {
        let bar = StatusBar(left: [StatusSegment("cuba", priority: StatusSegment.essential), StatusSegment("step 1000", priority: 45),
                                   StatusSegment("t 5 min 29 s", priority: 5), StatusSegment("seed 1", priority: 2)],
                            right: [StatusSegment("1k steps/s (1k/s)", priority: StatusSegment.essential),
                                    StatusSegment("frame 0.9 ms", priority: 1),
                                    StatusSegment("PAUSED", priority: StatusSegment.essential)])
        let wide = snapshot(bar, 80, 1)
        #expect(wide.contains("seed 1") && wide.contains("frame 0.9 ms"))
        let narrow = snapshot(bar, 40, 1)
        #expect(narrow.contains("1k steps/s (1k/s)") && narrow.contains("PAUSED"))
        #expect(!narrow.contains("seed") && !narrow.contains("frame") && !narrow.contains("min"))
        // Even narrower: the left side is cut, the run state and speed stay whole.
        let tiny = snapshot(bar, 26, 1)
        #expect(tiny.hasSuffix("1k steps/s (1k/s)  PAUSED"))
    }

    @Test func abbreviationCutsTheMiddle() {
        #expect(Text.abbreviate("eee_pre", to: 5, ellipsis: "~") == "ee~re")
        #expect(Text.abbreviate("eee_post", to: 5, ellipsis: "~") == "ee~st")
        #expect(Text.abbreviate("rate", to: 5, ellipsis: "~") == "rate")
        #expect(Text.abbreviate("rate_hz", to: 2, ellipsis: "~") == "ra")
    }
}
