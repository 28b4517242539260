import Foundation

/// Locations inside the source tree that tests need (Python helpers live in
/// Tests/Support and are run from there).
public enum TestPaths {
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let support: URL = packageRoot.appendingPathComponent("Tests/Support")
}
