import Foundation

/// Locations inside the source tree that tests need (Python stand-ins live in
/// Tests/StandIns and are run from there).
public enum TestPaths {
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let standIns: URL = packageRoot.appendingPathComponent("Tests/StandIns")
}
