/// Everything widgets need to know about looks, as plain data: colours, colour maps and glyphs.
///
/// Built-in themes: `.default` (colour-blind safe Okabe-Ito colours, viridis and blue-orange
/// maps, braille), `.mono16` (only the 16 ANSI colours) and `.ascii` (default colours, ASCII
/// glyphs only). Widgets never hard-code a colour or a glyph; they read it here.
public struct Theme: Sendable, Hashable {
    public var name: String
    /// Text colour.
    public var foreground: Color
    /// Background of panels (`.default` keeps the terminal's own).
    public var background: Color
    /// Focused panel borders, titles, key names.
    public var accent: Color
    /// Axes, labels and other secondary text.
    public var dim: Color
    /// Warnings and out-of-range marks.
    public var warning: Color
    /// Unfocused panel borders.
    public var border: Color
    /// Line colours for chart series, used in order and repeated.
    public var series: [Color]
    /// Colours of neuron groups in rasters (e.g. excitatory, inhibitory), in order.
    public var groups: [Color]
    /// For values with a natural zero at the low end (rates, magnitudes).
    public var sequential: Colormap
    /// For signed values symmetric around zero (weights).
    public var diverging: Colormap
    public var borderGlyphs: BorderGlyphs
    public var focusedBorderGlyphs: BorderGlyphs
    public var glyphs: GlyphSet

    public init(name: String, foreground: Color, background: Color, accent: Color, dim: Color, warning: Color,
                border: Color, series: [Color], groups: [Color], sequential: Colormap, diverging: Colormap,
                borderGlyphs: BorderGlyphs, focusedBorderGlyphs: BorderGlyphs, glyphs: GlyphSet) {
        self.name = name
        self.foreground = foreground
        self.background = background
        self.accent = accent
        self.dim = dim
        self.warning = warning
        self.border = border
        self.series = series.isEmpty ? [foreground] : series
        self.groups = groups.isEmpty ? [foreground] : groups
        self.sequential = sequential
        self.diverging = diverging
        self.borderGlyphs = borderGlyphs
        self.focusedBorderGlyphs = focusedBorderGlyphs
        self.glyphs = glyphs
    }

    // MARK: Styles derived from the colours

    /// Normal text.
    public var text: Style { Style(fg: foreground, bg: background) }
    /// Secondary text (axes, labels).
    public var dimText: Style { Style(fg: dim, bg: background) }
    /// Highlighted text.
    public var accentText: Style { Style(fg: accent, bg: background, attributes: .bold) }
    /// Warnings.
    public var warningText: Style { Style(fg: warning, bg: background, attributes: .bold) }
    /// A blank cell in the theme's background.
    public var blank: Cell { Cell(" ", style: text) }

    /// The colour of chart series `index` (cycling).
    public func seriesColor(_ index: Int) -> Color { series[((index % series.count) + series.count) % series.count] }
    /// `c` faded towards the dim grey, for bands behind chart lines (the dim colour itself when
    /// either has no RGB value).
    public func faded(_ c: Color) -> Color {
        guard let rgb = c.rgbValue, let grey = dim.rgbValue else { return dim }
        return Color(rgb.mixed(with: grey, 0.55))
    }
    /// The colour of neuron group `index` (cycling).
    public func groupColor(_ index: Int) -> Color { groups[((index % groups.count) + groups.count) % groups.count] }

    /// A copy drawing with ASCII glyphs only (what `--ascii` does to any theme).
    public var asciiOnly: Theme {
        var t = self
        t.glyphs = .ascii
        t.borderGlyphs = .ascii
        t.focusedBorderGlyphs = .asciiFocused
        return t
    }

    // MARK: Built-in themes

    /// Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), viridis
    /// for sequential data and a blue-orange map for signed data; braille and block glyphs.
    public static let `default` = Theme(
        name: "default",
        foreground: .default, background: .default,
        accent: .rgb(86, 180, 233), dim: .rgb(130, 130, 130), warning: .rgb(230, 159, 0),
        border: .rgb(90, 90, 90),
        series: [.rgb(86, 180, 233), .rgb(230, 159, 0), .rgb(0, 158, 115), .rgb(240, 228, 66),
                 .rgb(204, 121, 167), .rgb(213, 94, 0), .rgb(0, 114, 178)],
        groups: [.rgb(86, 180, 233), .rgb(213, 94, 0), .rgb(0, 158, 115), .rgb(204, 121, 167)],
        sequential: .viridis, diverging: .blueOrange,
        borderGlyphs: .rounded, focusedBorderGlyphs: .thick, glyphs: .braille)

    /// The 16 ANSI colours only, for terminals without 256 colours; colour maps are stepped over
    /// palette entries (black-blue-cyan-green-yellow-white and cyan-blue-black-red-yellow).
    public static let mono16 = Theme(
        name: "mono16",
        foreground: .default, background: .default,
        accent: .brightCyan, dim: .brightBlack, warning: .brightYellow, border: .brightBlack,
        series: [.brightCyan, .brightYellow, .brightGreen, .brightMagenta, .brightRed, .brightBlue, .white],
        groups: [.brightCyan, .brightRed, .brightGreen, .brightMagenta],
        sequential: Colormap(name: "ansi-sequential", palette: [0, 4, 12, 6, 14, 2, 10, 3, 11, 15]),
        diverging: Colormap(name: "ansi-diverging", palette: [14, 6, 4, 0, 1, 3, 11]),
        borderGlyphs: .plain, focusedBorderGlyphs: .thick, glyphs: .braille)

    /// The default colours with ASCII glyphs only: no braille, no block elements, no box drawing.
    public static let ascii: Theme = {
        var t = Theme.default.asciiOnly
        t.name = "ascii"
        return t
    }()

    /// All built-in themes.
    public static let builtIn: [Theme] = [.default, .mono16, .ascii]

    /// The built-in theme called `name`, or nil.
    public static func named(_ name: String) -> Theme? {
        builtIn.first { $0.name == name }
    }
}
