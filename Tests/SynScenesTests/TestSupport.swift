import SynCore
@testable import SynScenes

/// The package root, derived from this file's path (Tests/SynScenesTests/TestSupport.swift).
let packageRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// Path of a scene in the repository's scenes/ folder.
func scenePath(_ name: String) -> String { "\(packageRoot)/scenes/\(name).toml" }

/// Parses scene text, returning the one-line error (or nil when it is valid).
func sceneError(_ text: String, overrides: [String] = []) -> String? {
    do {
        _ = try SceneLoader.parse(bytes: Array(text.utf8), file: "scenes/x.toml", overrides: overrides)
        return nil
    } catch {
        return error.description
    }
}

/// A unique temporary path.
func tempPath(_ name: String) -> String {
    "/tmp/synaptop-test-\(UInt64.random(in: 0...UInt64.max))-\(name)"
}

/// Every scene file in the repository (listed at test time).
func allSceneFiles() -> [String] {
    FileIO.list("\(packageRoot)/scenes").filter { $0.hasSuffix(".toml") }.sorted().map { "\(packageRoot)/scenes/\($0)" }
}
