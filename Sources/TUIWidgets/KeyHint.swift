/// A key and what it does, for `KeyBar` and `HelpOverlay`.
public struct KeyHint: Sendable, Hashable {
    public var key: String
    public var action: String
    public init(_ key: String, _ action: String) {
        self.key = key
        self.action = action
    }
}
