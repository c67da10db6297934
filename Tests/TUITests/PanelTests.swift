import TUICore
import Testing
@testable import TUIWidgets

@Suite struct PanelTests {
    @Test func borderTitleAndTrailingText() {
        #expect(snapshot(Panel(title: "Weights", trailing: "step 12"), 20, 3) == """
            ╭ Weights ─ step … ╮
            │                  │
            ╰──────────────────╯
            """)
        #expect(snapshot(Panel(title: "Weights", trailing: "step 12"), 22, 2) == """
            ╭ Weights ── step 12 ╮
            ╰────────────────────╯
            """)
    }

    @Test func focusedPanelUsesFocusedGlyphsAndAccent() {
        let b = rendered(Panel(title: "Weights", focused: true), 12, 3, theme: .ascii)
        #expect(b.plainText == """
            # Weights =#
            #          #
            #==========#
            """)
        #expect(b[0, 0].fg == Theme.ascii.accent)
        #expect(b[2, 0].attributes.contains(.bold))
        #expect(rendered(Panel(title: "W"), 5, 3)[0, 0].fg == Theme.default.border)
    }

    @Test func contentGetsTheInnerAreaOrEverythingWhenThereIsNoRoomForABorder() {
        #expect(Panel.innerArea(of: Rect(x: 1, y: 1, width: 5, height: 4)) == Rect(x: 2, y: 2, width: 3, height: 2))
        #expect(Panel.innerArea(of: Rect(x: 1, y: 1, width: 1, height: 4)) == Rect(x: 1, y: 1, width: 1, height: 4))
        // "hi you" wraps to two lines in 4 columns; the hidden second line is marked by the ellipsis.
        #expect(snapshot(Panel(title: "W", content: TextPanel("hi you")), 6, 3) == """
            ╭ W ─╮
            │hi …│
            ╰────╯
            """)
        #expect(snapshot(Panel(title: "W", content: TextPanel("hello there")), 1, 3) == "h\ne\n…")
        #expect(snapshot(Panel(title: "W"), 2, 2) == "╭╮\n╰╯")
    }
}
