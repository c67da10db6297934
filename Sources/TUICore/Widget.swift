/// Anything that draws itself into a rectangle of a buffer.
///
/// Widgets are small value types built fresh each frame from plain data. `render` draws only
/// inside `area` and sets every cell of it (so nothing from before shows through; overlays such as
/// a help box are the exception), copes with any size including 0x0 (drawing a placeholder when
/// the area is too small to be useful) and keeps no state between frames.
public protocol Widget: Sendable {
    func render(in area: Rect, buffer: inout Buffer, theme: Theme)
}

extension Buffer {
    /// Renders `widget` into `area` (clipped to this buffer).
    public mutating func render(_ widget: some Widget, in area: Rect, theme: Theme) {
        widget.render(in: area.intersection(self.area), buffer: &self, theme: theme)
    }
}
